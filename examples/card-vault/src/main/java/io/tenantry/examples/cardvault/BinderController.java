package io.tenantry.examples.cardvault;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The binders of the caller's vault. A binder may only hold cards of the same vault: the check is an
 * ordinary {@code findAllById}, which cannot find another tenant's cards.
 */
@RestController
@RequestMapping("/api/binders")
class BinderController {

    private final BinderRepository binders;
    private final CardRepository cards;

    BinderController(BinderRepository binders, CardRepository cards) {
        this.binders = binders;
        this.cards = cards;
    }

    @PostMapping
    ResponseEntity<Binder> create(@RequestBody Binder binder, UriComponentsBuilder uri) {
        Binder saved = binders.save(valid(binder).withId(null));
        return ResponseEntity.created(uri.path("/api/binders/{id}").build(saved.id())).body(saved);
    }

    @GetMapping
    List<Binder> list() {
        return binders.findAll(Sort.by("name"));
    }

    @GetMapping("/{id}")
    Binder fetch(@PathVariable String id) {
        return binders.findById(id).orElseThrow(() -> notFound(id));
    }

    @PutMapping("/{id}")
    Binder update(@PathVariable String id, @RequestBody Binder binder) {
        Binder stored = binders.findById(id).orElseThrow(() -> notFound(id));
        return binders.save(valid(binder).withId(stored.id()));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        binders.delete(binders.findById(id).orElseThrow(() -> notFound(id)));
        return ResponseEntity.noContent().build();
    }

    /** Binder names are unique per vault (the index is created per tenant): a second "Holos" is a conflict. */
    @ExceptionHandler(DuplicateKeyException.class)
    ProblemDetail duplicateName() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "This vault already has a binder with that name.");
    }

    private Binder valid(Binder binder) {
        if (binder.name() == null || binder.name().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "A binder needs a name.");
        }
        List<String> cardIds = binder.cardIds() == null ? List.of() : binder.cardIds();
        Set<String> unknown = new LinkedHashSet<>(cardIds);
        cards.findAllById(cardIds).forEach(card -> unknown.remove(card.id()));
        if (!unknown.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "There is no card " + String.join(", ", unknown)
                    + " in this vault.");
        }
        return new Binder(binder.id(), binder.name(), List.copyOf(new LinkedHashSet<>(cardIds)));
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no binder " + id + " in this vault.");
    }
}
