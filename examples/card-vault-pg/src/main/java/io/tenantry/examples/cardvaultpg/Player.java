package io.tenantry.examples.cardvaultpg;

import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A player who appears on cards, optionally of a {@link Team} of the same vault. */
@Table("players")
public record Player(@Id UUID id, String name, UUID teamId) {

    Player withId(UUID id) {
        return new Player(id, name, teamId);
    }
}
