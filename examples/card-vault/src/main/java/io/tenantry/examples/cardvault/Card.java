package io.tenantry.examples.cardvault;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One card of a collection. There is deliberately no tenant field: Tenantry decides where the card
 * is stored, and on the shared (free) model stamps the tenant on the stored document itself.
 *
 * @param set the expansion, for example "Base Set"
 * @param number the card's number in its set, for example "4/102"
 */
@Document("cards")
public record Card(@Id String id, String name, String set, String number, String rarity, String condition) {

    /** Returns this card with {@code id}; the server, not the client, decides ids. */
    Card withId(String id) {
        return new Card(id, name, set, number, rarity, condition);
    }
}
