package io.tenantry.examples.cardvaultpg;

import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One card of a collection. There is deliberately no tenant field: Tenantry decides which table, schema
 * or database the row goes to, and on the shared tables fills in {@code tenant_id} itself. A
 * {@code tenant_id} sent in a request body is therefore simply ignored.
 *
 * @param id assigned by PostgreSQL ({@code gen_random_uuid()}) on insert
 * @param playerId the {@link Player} on the card, of the same vault
 * @param manufacturerId its {@link Manufacturer}, of the same vault
 */
@Table("cards")
public record Card(@Id UUID id, String title, Integer year, String condition,
        UUID playerId, UUID manufacturerId) {

    /** Returns this card with {@code id}; the server, not the client, decides ids. */
    Card withId(UUID id) {
        return new Card(id, title, year, condition, playerId, manufacturerId);
    }
}
