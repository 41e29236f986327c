package io.tenantry.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoDatabase;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;

/**
 * Creates the declared collections ({@link CollectionSpec}) of one tenant under their physical
 * names, with their indexes as declared, for the models whose collections hold one tenant's
 * documents only. Idempotent: existing collections are kept, and creating an index that exists
 * with the same keys and options is a no-op on the server.
 */
final class DeclaredCollections {

    /** The server's code for "a collection of that name exists", when two provisionings race. */
    private static final int NAMESPACE_EXISTS = 48;

    private DeclaredCollections() {
    }

    /** Creates what is missing of {@code specs} for the tenant of {@code namespace} in {@code database}. */
    static void ensure(MongoDatabase database, OwnedNamespace namespace, List<CollectionSpec> specs) {
        if (specs.isEmpty()) {
            return;
        }
        Set<String> existing = database.listCollectionNames()
                .filter(CollectionNameFilter.ownedOnly(new BsonDocument(), namespace)).into(new HashSet<>());
        for (CollectionSpec spec : specs) {
            String physical = namespace.physical(spec.name());
            if (!existing.contains(physical)) {
                try {
                    database.createCollection(physical);
                } catch (MongoCommandException e) {
                    if (e.getErrorCode() != NAMESPACE_EXISTS) {
                        throw e;
                    }
                }
            }
            if (!spec.indexes().isEmpty()) {
                database.getCollection(physical).createIndexes(spec.indexes());
            }
        }
    }
}
