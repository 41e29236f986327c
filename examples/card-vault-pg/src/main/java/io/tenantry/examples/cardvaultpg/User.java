package io.tenantry.examples.cardvaultpg;

import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A user of one vault. Their number is capped by the tenant's plan ({@code max_users} of the tenants
 * table); their e-mail address is unique within the vault.
 */
@Table("users")
public record User(@Id UUID id, String email, String displayName) {

    User withId(UUID id) {
        return new User(id, email, displayName);
    }
}
