package io.tenantry.mongo;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bson.conversions.Bson;

/**
 * A collection declared once, logically, with its indexes; {@link MongoProvisioning#ensure} creates
 * it for each tenant's placement. On the {@code FIELD} model every index gets the tenant field as its
 * first key (unique ones included, so one tenant's values never block another's).
 *
 * <p>Built through {@link TenantMongo.Builder#collection(String, java.util.function.Consumer)}; not
 * thread-safe while being declared, immutable afterwards.
 */
public final class CollectionSpec {

    private final String name;
    private final List<IndexModel> indexes = new ArrayList<>();

    CollectionSpec(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Declares an index with default options. */
    public CollectionSpec index(Bson keys) {
        return index(keys, new IndexOptions());
    }

    /** Declares an index; the options' name, when given, is the name users will see in {@code listIndexes}. */
    public CollectionSpec index(Bson keys, IndexOptions options) {
        indexes.add(new IndexModel(Objects.requireNonNull(keys, "keys"), Objects.requireNonNull(options, "options")));
        return this;
    }

    /** Returns the logical name. */
    public String name() {
        return name;
    }

    /** Returns the declared indexes, as declared (without the tenant field). */
    public List<IndexModel> indexes() {
        return List.copyOf(indexes);
    }
}
