package io.tenantry.examples.cardvaultpg;

import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.TenantStatus;
import io.tenantry.jdbc.TenantJdbc;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * Creates a tenant so that it is ready before anyone is told it exists: registered in the tenants table
 * as {@code SUSPENDED} (requests for it are refused meanwhile), provisioned (its schema and role, or its
 * database, with the tenant migrations applied; on shared tables, nothing of its own), then activated.
 * Used by the admin API and by the demo data. If provisioning fails, the tenant stays suspended and the
 * error reaches the caller; {@code ensure} is idempotent, so provisioning it again later completes it.
 */
@Service
class TenantOnboarding {

    /** The tenant attribute that caps its users; the tenants table shows it as {@code max_users}. */
    static final String MAX_USERS = "max-users";

    private static final Logger LOG = LoggerFactory.getLogger(TenantOnboarding.class);
    private static final Map<String, Integer> MAX_USERS_BY_TIER = Map.of("starter", 3, "professional", 25,
            "enterprise", 1000);

    /**
     * What the admin asks for.
     *
     * @param maxUsers the plan's limit, by default the tier's
     * @param dedicatedDatabase for enterprise tenants: a database of their own instead of a schema
     */
    record NewTenant(String id, String name, String tier, Integer maxUsers, Boolean dedicatedDatabase) {

        boolean dedicated() {
            return Boolean.TRUE.equals(dedicatedDatabase);
        }
    }

    private final TenantDirectory directory;
    private final TenantRouter router;
    private final TenantJdbc jdbc;
    private final String dedicatedPrefix;

    TenantOnboarding(TenantDirectory directory, TenantRouter router, TenantJdbc jdbc,
            @Value("${cardvault.dedicated-database-prefix}") String dedicatedPrefix) {
        this.directory = directory;
        this.router = router;
        this.jdbc = jdbc;
        this.dedicatedPrefix = dedicatedPrefix;
    }

    /**
     * Registers, provisions and activates a tenant.
     *
     * @throws ResponseStatusException 400 for an invalid request, 409 if the id is taken
     */
    Tenant create(NewTenant request) {
        Tenant tenant = draft(request);
        if (directory.find(tenant.id()).isPresent()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Tenant \"" + tenant.id() + "\" exists already.");
        }
        directory.register(tenant);
        jdbc.provisioning().ensure(tenant.id());
        Tenant active = directory.update(directory.require(tenant.id()).toBuilder().status(TenantStatus.ACTIVE).build());
        LOG.info("Created tenant {} ({} tier) at {}", active.id(), active.tier(), jdbc.placement(active.id()));
        return active;
    }

    private Tenant draft(NewTenant request) {
        if (request.id() == null || request.tier() == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "A tenant needs an id and a tier.");
        }
        Integer maxUsers = request.maxUsers() != null ? request.maxUsers() : MAX_USERS_BY_TIER.get(request.tier());
        if (maxUsers == null || maxUsers < 1) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Unknown tier \"" + request.tier()
                    + "\" or no maxUsers; the tiers are " + MAX_USERS_BY_TIER.keySet() + ".");
        }
        if (request.dedicated() && !request.tier().equals("enterprise")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Only enterprise tenants get a database of their own.");
        }
        try {
            Tenant tenant = Tenant.builder(TenantId.of(request.id()))
                    .name(request.name() == null ? request.id() : request.name())
                    .tier(request.tier())
                    .status(TenantStatus.SUSPENDED)
                    .attribute(MAX_USERS, maxUsers.toString())
                    .placement(request.dedicated() ? Placement.database("main", dedicatedPrefix) : null)
                    .build();
            router.route(tenant); // an unplaceable tier fails here, before anything is stored
            return tenant;
        } catch (RuntimeException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage(), e);
        }
    }
}
