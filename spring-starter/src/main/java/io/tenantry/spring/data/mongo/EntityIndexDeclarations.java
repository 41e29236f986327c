package io.tenantry.spring.data.mongo;

import io.tenantry.mongo.TenantMongo;
import io.tenantry.spring.mongo.TenantMongoBuilderCustomizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.springframework.data.mongodb.core.index.MongoPersistentEntityIndexResolver;
import org.springframework.data.mongodb.core.index.MongoPersistentEntityIndexResolver.IndexDefinitionHolder;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;
import org.springframework.data.mongodb.core.mapping.MongoPersistentEntity;

/**
 * Declares to the {@link TenantMongo.Builder} every collection of the {@code @Document} entities the
 * mapping context knows, with the indexes Spring Data resolves for them ({@code @Indexed},
 * {@code @CompoundIndex}, ...), so that the adapter's provisioning creates them per tenant (with the
 * tenant field first on the field model) instead of Spring Data creating them once, unscoped.
 * Entities sharing a collection share one declaration; identical indexes are declared once.
 */
final class EntityIndexDeclarations implements TenantMongoBuilderCustomizer {

    private final MongoMappingContext mappingContext;

    EntityIndexDeclarations(MongoMappingContext mappingContext) {
        this.mappingContext = mappingContext;
    }

    @Override
    public void customize(TenantMongo.Builder builder) {
        resolve().forEach((collection, indexes) -> builder.collection(collection, spec -> indexes.forEach(index ->
                spec.index(index.keys, IndexOptionsConversion.toIndexOptions(index.options)))));
    }

    /** Returns the indexes by collection name, in the order the entities were mapped. */
    Map<String, List<Index>> resolve() {
        MongoPersistentEntityIndexResolver resolver = new MongoPersistentEntityIndexResolver(mappingContext);
        Map<String, List<Index>> byCollection = new LinkedHashMap<>();
        for (MongoPersistentEntity<?> entity : mappingContext.getPersistentEntities()) {
            if (!entity.isAnnotationPresent(org.springframework.data.mongodb.core.mapping.Document.class)) {
                continue;
            }
            byCollection.computeIfAbsent(entity.getCollection(), name -> new ArrayList<>());
            for (IndexDefinitionHolder holder : resolver.resolveIndexFor(entity.getTypeInformation())) {
                List<Index> indexes = byCollection.computeIfAbsent(holder.getCollection(), name -> new ArrayList<>());
                Index index = new Index(holder.getIndexKeys(), holder.getIndexOptions());
                if (!indexes.contains(index)) {
                    indexes.add(index);
                }
            }
        }
        return byCollection;
    }

    /** One resolved index: its keys and options, equal by value. */
    static final class Index {
        final Document keys;
        final Document options;

        Index(Document keys, Document options) {
            this.keys = keys;
            this.options = options;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Index && ((Index) other).keys.equals(keys) && ((Index) other).options.equals(options);
        }

        @Override
        public int hashCode() {
            return keys.hashCode() * 31 + options.hashCode();
        }

        @Override
        public String toString() {
            return keys.toJson() + " " + options.toJson();
        }
    }
}
