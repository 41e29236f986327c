package io.tenantry.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import io.tenantry.tck.TenantScopedStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * The isolation contract's store over one routing collection, written the way an application would
 * write it: no tenant anywhere in the code, a {@code key} field (not {@code _id}, which a shared
 * collection must keep unique across tenants) and a {@code value} field.
 */
final class MongoKeyValueStore implements TenantScopedStore {

    private final MongoCollection<Document> entries;

    MongoKeyValueStore(MongoCollection<Document> entries) {
        this.entries = entries;
    }

    @Override
    public void write(String key, String value) {
        entries.replaceOne(Filters.eq("key", key), new Document("key", key).append("value", value),
                new ReplaceOptions().upsert(true));
    }

    @Override
    public Optional<String> read(String key) {
        Document found = entries.find(Filters.eq("key", key)).first();
        return found == null ? Optional.empty() : Optional.of(found.getString("value"));
    }

    @Override
    public List<String> query(String valuePrefix) {
        List<String> values = new ArrayList<>();
        entries.find(Filters.regex("value", "^" + Pattern.quote(valuePrefix)))
                .projection(Projections.include("value")).sort(Sorts.ascending("value"))
                .forEach(d -> values.add(d.getString("value")));
        return values;
    }

    @Override
    public long count() {
        return entries.countDocuments();
    }

    @Override
    public boolean delete(String key) {
        return entries.deleteOne(Filters.eq("key", key)).getDeletedCount() == 1;
    }

    @Override
    public void clear() {
        entries.deleteMany(new Document());
    }
}
