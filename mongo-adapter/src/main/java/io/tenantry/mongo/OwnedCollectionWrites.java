package io.tenantry.mongo;

import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOptions;
import com.mongodb.client.model.FindOneAndDeleteOptions;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.InsertOneOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.InsertManyResult;
import com.mongodb.client.result.InsertOneResult;
import com.mongodb.client.result.UpdateResult;
import java.util.List;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * The data-writing half of {@link OwnedCollection}: inserts, updates, replacements, deletes and bulk
 * writes. They pass through unchanged: the physical collection holds the tenant's documents only, so
 * no filter needs narrowing and no document needs stamping, and update pipelines cannot reach other
 * collections. Thread-safe.
 *
 * @param <T> the document class
 */
abstract class OwnedCollectionWrites<T> extends OwnedCollectionQueries<T> {

    OwnedCollectionWrites(MongoCollection<T> physical, OwnedNamespace namespace) {
        super(physical, namespace);
    }

    @Override
    public BulkWriteResult bulkWrite(List<? extends WriteModel<? extends T>> requests) {
        return physical.bulkWrite(requests);
    }

    @Override
    public BulkWriteResult bulkWrite(ClientSession clientSession, List<? extends WriteModel<? extends T>> requests) {
        return physical.bulkWrite(clientSession, requests);
    }

    @Override
    public BulkWriteResult bulkWrite(List<? extends WriteModel<? extends T>> requests, BulkWriteOptions options) {
        return physical.bulkWrite(requests, options);
    }

    @Override
    public BulkWriteResult bulkWrite(ClientSession clientSession, List<? extends WriteModel<? extends T>> requests,
            BulkWriteOptions options) {
        return physical.bulkWrite(clientSession, requests, options);
    }

    @Override
    public InsertOneResult insertOne(T document) {
        return physical.insertOne(document);
    }

    @Override
    public InsertOneResult insertOne(ClientSession clientSession, T document) {
        return physical.insertOne(clientSession, document);
    }

    @Override
    public InsertOneResult insertOne(T document, InsertOneOptions options) {
        return physical.insertOne(document, options);
    }

    @Override
    public InsertOneResult insertOne(ClientSession clientSession, T document, InsertOneOptions options) {
        return physical.insertOne(clientSession, document, options);
    }

    @Override
    public InsertManyResult insertMany(List<? extends T> documents) {
        return physical.insertMany(documents);
    }

    @Override
    public InsertManyResult insertMany(ClientSession clientSession, List<? extends T> documents) {
        return physical.insertMany(clientSession, documents);
    }

    @Override
    public InsertManyResult insertMany(List<? extends T> documents, InsertManyOptions options) {
        return physical.insertMany(documents, options);
    }

    @Override
    public InsertManyResult insertMany(ClientSession clientSession, List<? extends T> documents,
            InsertManyOptions options) {
        return physical.insertMany(clientSession, documents, options);
    }

    @Override
    public DeleteResult deleteOne(Bson filter) {
        return physical.deleteOne(filter);
    }

    @Override
    public DeleteResult deleteOne(ClientSession clientSession, Bson filter) {
        return physical.deleteOne(clientSession, filter);
    }

    @Override
    public DeleteResult deleteOne(Bson filter, DeleteOptions options) {
        return physical.deleteOne(filter, options);
    }

    @Override
    public DeleteResult deleteOne(ClientSession clientSession, Bson filter, DeleteOptions options) {
        return physical.deleteOne(clientSession, filter, options);
    }

    @Override
    public DeleteResult deleteMany(Bson filter) {
        return physical.deleteMany(filter);
    }

    @Override
    public DeleteResult deleteMany(ClientSession clientSession, Bson filter) {
        return physical.deleteMany(clientSession, filter);
    }

    @Override
    public DeleteResult deleteMany(Bson filter, DeleteOptions options) {
        return physical.deleteMany(filter, options);
    }

    @Override
    public DeleteResult deleteMany(ClientSession clientSession, Bson filter, DeleteOptions options) {
        return physical.deleteMany(clientSession, filter, options);
    }

    @Override
    public UpdateResult replaceOne(Bson filter, T replacement) {
        return physical.replaceOne(filter, replacement);
    }

    @Override
    public UpdateResult replaceOne(ClientSession clientSession, Bson filter, T replacement) {
        return physical.replaceOne(clientSession, filter, replacement);
    }

    @Override
    public UpdateResult replaceOne(Bson filter, T replacement, ReplaceOptions options) {
        return physical.replaceOne(filter, replacement, options);
    }

    @Override
    public UpdateResult replaceOne(ClientSession clientSession, Bson filter, T replacement, ReplaceOptions options) {
        return physical.replaceOne(clientSession, filter, replacement, options);
    }

    @Override
    public UpdateResult updateOne(Bson filter, Bson update) {
        return physical.updateOne(filter, update);
    }

    @Override
    public UpdateResult updateOne(ClientSession clientSession, Bson filter, Bson update) {
        return physical.updateOne(clientSession, filter, update);
    }

    @Override
    public UpdateResult updateOne(Bson filter, Bson update, UpdateOptions options) {
        return physical.updateOne(filter, update, options);
    }

    @Override
    public UpdateResult updateOne(ClientSession clientSession, Bson filter, Bson update, UpdateOptions options) {
        return physical.updateOne(clientSession, filter, update, options);
    }

    @Override
    public UpdateResult updateOne(Bson filter, List<? extends Bson> update) {
        return physical.updateOne(filter, update);
    }

    @Override
    public UpdateResult updateOne(ClientSession clientSession, Bson filter, List<? extends Bson> update) {
        return physical.updateOne(clientSession, filter, update);
    }

    @Override
    public UpdateResult updateOne(Bson filter, List<? extends Bson> update, UpdateOptions options) {
        return physical.updateOne(filter, update, options);
    }

    @Override
    public UpdateResult updateOne(ClientSession clientSession, Bson filter, List<? extends Bson> update,
            UpdateOptions options) {
        return physical.updateOne(clientSession, filter, update, options);
    }

    @Override
    public UpdateResult updateMany(Bson filter, Bson update) {
        return physical.updateMany(filter, update);
    }

    @Override
    public UpdateResult updateMany(ClientSession clientSession, Bson filter, Bson update) {
        return physical.updateMany(clientSession, filter, update);
    }

    @Override
    public UpdateResult updateMany(Bson filter, Bson update, UpdateOptions options) {
        return physical.updateMany(filter, update, options);
    }

    @Override
    public UpdateResult updateMany(ClientSession clientSession, Bson filter, Bson update, UpdateOptions options) {
        return physical.updateMany(clientSession, filter, update, options);
    }

    @Override
    public UpdateResult updateMany(Bson filter, List<? extends Bson> update) {
        return physical.updateMany(filter, update);
    }

    @Override
    public UpdateResult updateMany(ClientSession clientSession, Bson filter, List<? extends Bson> update) {
        return physical.updateMany(clientSession, filter, update);
    }

    @Override
    public UpdateResult updateMany(Bson filter, List<? extends Bson> update, UpdateOptions options) {
        return physical.updateMany(filter, update, options);
    }

    @Override
    public UpdateResult updateMany(ClientSession clientSession, Bson filter, List<? extends Bson> update,
            UpdateOptions options) {
        return physical.updateMany(clientSession, filter, update, options);
    }

    @Override
    public @Nullable T findOneAndDelete(Bson filter) {
        return physical.findOneAndDelete(filter);
    }

    @Override
    public @Nullable T findOneAndDelete(ClientSession clientSession, Bson filter) {
        return physical.findOneAndDelete(clientSession, filter);
    }

    @Override
    public @Nullable T findOneAndDelete(Bson filter, FindOneAndDeleteOptions options) {
        return physical.findOneAndDelete(filter, options);
    }

    @Override
    public @Nullable T findOneAndDelete(ClientSession clientSession, Bson filter, FindOneAndDeleteOptions options) {
        return physical.findOneAndDelete(clientSession, filter, options);
    }

    @Override
    public @Nullable T findOneAndReplace(Bson filter, T replacement) {
        return physical.findOneAndReplace(filter, replacement);
    }

    @Override
    public @Nullable T findOneAndReplace(ClientSession clientSession, Bson filter, T replacement) {
        return physical.findOneAndReplace(clientSession, filter, replacement);
    }

    @Override
    public @Nullable T findOneAndReplace(Bson filter, T replacement, FindOneAndReplaceOptions options) {
        return physical.findOneAndReplace(filter, replacement, options);
    }

    @Override
    public @Nullable T findOneAndReplace(ClientSession clientSession, Bson filter, T replacement,
            FindOneAndReplaceOptions options) {
        return physical.findOneAndReplace(clientSession, filter, replacement, options);
    }

    @Override
    public @Nullable T findOneAndUpdate(Bson filter, Bson update) {
        return physical.findOneAndUpdate(filter, update);
    }

    @Override
    public @Nullable T findOneAndUpdate(ClientSession clientSession, Bson filter, Bson update) {
        return physical.findOneAndUpdate(clientSession, filter, update);
    }

    @Override
    public @Nullable T findOneAndUpdate(Bson filter, Bson update, FindOneAndUpdateOptions options) {
        return physical.findOneAndUpdate(filter, update, options);
    }

    @Override
    public @Nullable T findOneAndUpdate(ClientSession clientSession, Bson filter, Bson update,
            FindOneAndUpdateOptions options) {
        return physical.findOneAndUpdate(clientSession, filter, update, options);
    }

    @Override
    public @Nullable T findOneAndUpdate(Bson filter, List<? extends Bson> update) {
        return physical.findOneAndUpdate(filter, update);
    }

    @Override
    public @Nullable T findOneAndUpdate(ClientSession clientSession, Bson filter, List<? extends Bson> update) {
        return physical.findOneAndUpdate(clientSession, filter, update);
    }

    @Override
    public @Nullable T findOneAndUpdate(Bson filter, List<? extends Bson> update, FindOneAndUpdateOptions options) {
        return physical.findOneAndUpdate(filter, update, options);
    }

    @Override
    public @Nullable T findOneAndUpdate(ClientSession clientSession, Bson filter, List<? extends Bson> update,
            FindOneAndUpdateOptions options) {
        return physical.findOneAndUpdate(clientSession, filter, update, options);
    }
}
