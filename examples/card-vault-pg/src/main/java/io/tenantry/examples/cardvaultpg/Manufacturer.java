package io.tenantry.examples.cardvaultpg;

import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A card manufacturer such as Topps or Upper Deck; its name is unique within a vault. */
@Table("manufacturers")
public record Manufacturer(@Id UUID id, String name) {

    Manufacturer withId(UUID id) {
        return new Manufacturer(id, name);
    }
}
