package io.tenantry.examples.cardvault;

import java.util.List;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A named binder of cards. Binder names are unique within a vault: Tenantry creates the unique index
 * per tenant, so two tenants may both have a binder called "Holos".
 */
@Document("binders")
public record Binder(@Id String id, @Indexed(unique = true) String name, List<String> cardIds) {

    Binder withId(String id) {
        return new Binder(id, name, cardIds);
    }
}
