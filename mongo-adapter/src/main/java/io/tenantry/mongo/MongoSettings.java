package io.tenantry.mongo;

import java.util.List;
import java.util.Map;

/** What every model needs to know, fixed when {@link TenantMongo} is built. Immutable. */
final class MongoSettings {

    final Clusters clusters;
    final String tenantField;
    final Map<String, CollectionSpec> collections;
    final int collectionWarningThreshold;

    MongoSettings(Clusters clusters, String tenantField, Map<String, CollectionSpec> collections,
            int collectionWarningThreshold) {
        this.clusters = clusters;
        this.tenantField = tenantField;
        this.collections = Map.copyOf(collections);
        this.collectionWarningThreshold = collectionWarningThreshold;
    }

    /** Returns the declared collections. */
    List<CollectionSpec> specs() {
        return List.copyOf(collections.values());
    }
}
