package io.tenantry.examples.cardvaultpg;

import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A team; its name is unique within a vault (two vaults may both have the "Mariners"). */
@Table("teams")
public record Team(@Id UUID id, String name, String league) {

    Team withId(UUID id) {
        return new Team(id, name, league);
    }
}
