package io.tenantry.benchmarks;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import io.tenantry.TenantDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.conversions.Bson;

/**
 * What a team writes by hand, with the plain driver, to move one tenant's documents out of a shared
 * collection (tenant field, ids stored with their tenant as Tenantry's FIELD model stores them) into a
 * collection of its own: one cursor over the tenant's documents, each turned into what the tenant sees
 * (the caller's id back in {@code _id}, no tenant field), written in unordered {@code insertMany} batches.
 * The same documents as Tenantry's copy, field for field; and, for the comparison with a whole move, the
 * same kind of digest of both sides (SHA-256 of each document as the tenant sees it, summed).
 */
final class RawMongoCopy {

    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    private final MongoCollection<Document> source;
    private final MongoCollection<Document> target;
    private final String tenantField;
    private final Bson filter;
    private final String logical;
    private final int batchSize;

    RawMongoCopy(MongoCollection<Document> source, MongoCollection<Document> target, String tenantField, String tenant,
            int batchSize) {
        this.source = source;
        this.target = target;
        this.tenantField = tenantField;
        this.filter = Filters.eq(tenantField, tenant);
        this.logical = source.getNamespace().getCollectionName();
        this.batchSize = batchSize;
    }

    /** Copies the tenant's documents; returns how many. */
    long copy() {
        InsertManyOptions unordered = new InsertManyOptions().ordered(false);
        List<Document> batch = new ArrayList<>(batchSize);
        long copied = 0;
        try (MongoCursor<Document> cursor = source.find(filter).batchSize(batchSize).cursor()) {
            while (cursor.hasNext()) {
                Document document = cursor.next();
                Document id = document.get("_id", Document.class);
                document.put("_id", id.get("id")); // a map's put keeps the key where it was: first
                document.remove(tenantField);
                batch.add(document);
                if (batch.size() == batchSize) {
                    target.insertMany(batch, unordered);
                    copied += batch.size();
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            target.insertMany(batch, unordered);
            copied += batch.size();
        }
        return copied;
    }

    /** Returns the digest of the tenant's documents in the shared source collection. */
    TenantDigest digestSource() {
        TenantDigest.Builder digest = TenantDigest.builder();
        try (MongoCursor<RawBsonDocument> cursor = source.withDocumentClass(RawBsonDocument.class).find(filter)
                .batchSize(batchSize).cursor()) {
            while (cursor.hasNext()) {
                RawBsonDocument stored = cursor.next();
                BsonDocument view = new BsonDocument("_id", stored.getDocument("_id").get("id"));
                for (Map.Entry<String, BsonValue> field : stored.entrySet()) {
                    if (!field.getKey().equals("_id") && !field.getKey().equals(tenantField)) {
                        view.put(field.getKey(), field.getValue());
                    }
                }
                digest.add(logical, bytes(new RawBsonDocument(view, CODEC)));
            }
        }
        return digest.build();
    }

    /** Returns the digest of the documents in the target collection, which are stored as the tenant sees them. */
    TenantDigest digestTarget() {
        TenantDigest.Builder digest = TenantDigest.builder();
        try (MongoCursor<RawBsonDocument> cursor = target.withDocumentClass(RawBsonDocument.class).find()
                .batchSize(batchSize).cursor()) {
            while (cursor.hasNext()) {
                digest.add(logical, bytes(cursor.next()));
            }
        }
        return digest.build();
    }

    private static byte[] bytes(RawBsonDocument document) {
        java.nio.ByteBuffer buffer = document.getByteBuffer().asNIO();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
