package io.tenantry.mongo;

import com.mongodb.client.MongoDatabase;
import java.util.Locale;
import org.bson.BsonDocument;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the size of a COLLECTION-model database: every tenant adds its collections and their
 * indexes to it, and a MongoDB server slows down (memory, file handles, start-up time) with many
 * tens of thousands of them. When the count reaches 90% of
 * {@link TenantMongo.Builder#collectionWarningThreshold(int)} a warning is logged, so that an
 * operator moves tenants before it hurts.
 */
final class CollectionBudget {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionBudget.class);

    private CollectionBudget() {
    }

    /**
     * Counts the collections and indexes of {@code database} and logs a warning if they near
     * {@code threshold}.
     *
     * @return the warning that was logged, or null if none was
     */
    static @Nullable String check(MongoDatabase database, String cluster, int threshold) {
        long collections = 0;
        long indexes = 0;
        for (BsonDocument info : database.listCollections(BsonDocument.class)) {
            collections++;
            boolean view = info.isString("type") && info.getString("type").getValue().equals("view");
            if (!view && info.isString("name")) {
                for (BsonDocument ignored : database.getCollection(info.getString("name").getValue())
                        .listIndexes(BsonDocument.class)) {
                    indexes++;
                }
            }
        }
        long total = collections + indexes;
        if (total * 10 < threshold * 9L) {
            return null;
        }
        String warning = String.format(Locale.ROOT, "Shared database \"%s\" on cluster \"%s\" holds %d collections and"
                + " %d indexes (%d in all), %d%% of the collectionWarningThreshold of %d. Each one costs the server"
                + " memory and file handles. Move tenants out of it: to the DATABASE model, or to another cluster"
                + " (change the routing rule or pin their placement), or raise the threshold if the cluster is sized"
                + " for it.", database.getName(), cluster, collections, indexes, total, total * 100 / threshold,
                threshold);
        LOG.warn(warning);
        return warning;
    }
}
