package io.tenantry.examples.cardvaultpg;

import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The users of the caller's vault, as many as its plan allows: the tenant's {@code max-users} attribute,
 * which the tenants table shows as {@code max_users}. The check counts before it inserts, so two
 * concurrent sign-ups may both pass it: fine for a seat count, not for a hard limit.
 */
@RestController
@RequestMapping({"/api/users", "/t/{tenant}/api/users"})
class UserController {

    private final UserRepository users;
    private final TenantDirectory tenants;

    UserController(UserRepository users, TenantDirectory tenants) {
        this.users = users;
        this.tenants = tenants;
    }

    @GetMapping
    List<User> list() {
        return users.findAll(Sort.by("email"));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    User create(@RequestBody User user) {
        if (user.email() == null || user.email().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "A user needs an e-mail address.");
        }
        Tenant tenant = tenants.require(TenantContext.current());
        String limit = tenant.attributes().get(TenantOnboarding.MAX_USERS);
        if (limit != null && users.count() >= Long.parseLong(limit)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "The " + tenant.tier() + " plan of this vault"
                    + " allows " + limit + " users; remove one or upgrade the plan.");
        }
        return users.save(user.withId(null));
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ProblemDetail duplicateEmail() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "This vault already has a user with that e-mail.");
    }
}
