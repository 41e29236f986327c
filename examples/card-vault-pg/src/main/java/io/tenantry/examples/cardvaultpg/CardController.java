package io.tenantry.examples.cardvaultpg;

import java.util.List;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The cards of the caller's vault. Plain Spring MVC over a plain repository: the tenant filter has bound
 * the request's tenant (from the subdomain, the {@code /t/{tenant}} path, the header or the token) before
 * any of this runs, and a card of another vault is simply not found (404), never forbidden, so its
 * existence is not revealed either.
 */
@RestController
@RequestMapping({"/api/cards", "/t/{tenant}/api/cards"})
class CardController {

    private final CardRepository cards;

    CardController(CardRepository cards) {
        this.cards = cards;
    }

    @PostMapping
    ResponseEntity<Card> create(@RequestBody Card card) {
        Card saved = cards.save(valid(card).withId(null));
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .build(saved.id())).body(saved);
    }

    @GetMapping
    List<Card> list(@RequestParam(required = false) Integer year) {
        return year == null ? cards.findAll(Sort.by("title")) : cards.findByYearOrderByTitle(year);
    }

    @GetMapping("/{id}")
    Card fetch(@PathVariable UUID id) {
        return cards.findById(id).orElseThrow(() -> notFound(id));
    }

    @PutMapping("/{id}")
    Card update(@PathVariable UUID id, @RequestBody Card card) {
        Card stored = cards.findById(id).orElseThrow(() -> notFound(id));
        return cards.save(valid(card).withId(stored.id()));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        cards.delete(cards.findById(id).orElseThrow(() -> notFound(id)));
        return ResponseEntity.noContent().build();
    }

    /**
     * A player or manufacturer id that is not in this vault: the foreign keys lead with the tenant column
     * (Tenantry's provisioning makes them so on shared tables), so another vault's row does not count.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail unknownReference() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "This vault has no such player or manufacturer.");
    }

    private static Card valid(Card card) {
        if (card.title() == null || card.title().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "A card needs a title.");
        }
        return card;
    }

    private static ResponseStatusException notFound(UUID id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no card " + id + " in this vault.");
    }
}
