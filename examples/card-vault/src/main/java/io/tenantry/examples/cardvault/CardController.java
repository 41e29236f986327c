package io.tenantry.examples.cardvault;

import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The cards of the caller's vault. Plain Spring MVC over a plain repository: the tenant filter has
 * bound the request's tenant before any of this runs, and a card of another vault is simply not
 * found (404), never forbidden, so its existence is not revealed either.
 */
@RestController
@RequestMapping("/api/cards")
class CardController {

    private final CardRepository cards;

    CardController(CardRepository cards) {
        this.cards = cards;
    }

    @PostMapping
    ResponseEntity<Card> create(@RequestBody Card card, UriComponentsBuilder uri) {
        Card saved = cards.save(valid(card).withId(null));
        return ResponseEntity.created(uri.path("/api/cards/{id}").build(saved.id())).body(saved);
    }

    @GetMapping
    List<Card> list(@RequestParam(required = false) String rarity) {
        return rarity == null ? cards.findAll(Sort.by("name")) : cards.findByRarityOrderByName(rarity);
    }

    @GetMapping("/{id}")
    Card fetch(@PathVariable String id) {
        return cards.findById(id).orElseThrow(() -> notFound(id));
    }

    @PutMapping("/{id}")
    Card update(@PathVariable String id, @RequestBody Card card) {
        Card stored = cards.findById(id).orElseThrow(() -> notFound(id));
        return cards.save(valid(card).withId(stored.id()));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        cards.delete(cards.findById(id).orElseThrow(() -> notFound(id)));
        return ResponseEntity.noContent().build();
    }

    private static Card valid(Card card) {
        if (card.name() == null || card.name().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "A card needs a name.");
        }
        return card;
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no card " + id + " in this vault.");
    }
}
