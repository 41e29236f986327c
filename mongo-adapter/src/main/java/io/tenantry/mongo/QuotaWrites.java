package io.tenantry.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.UpdateResult;
import io.tenantry.Quota;
import io.tenantry.TenantQuotas;
import java.lang.reflect.Method;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Quotas on the writes of the routing handles, the same on every model: it wraps the call to the tenant's
 * scoped handle, which confines the write, with a {@link TenantQuotas#reserve reservation} of what the write
 * adds, settled with what it wrote ({@link QuotaWrite}), and gives back what deletes removed.
 *
 * <ul>
 *   <li>{@code insertOne}, {@code insertMany}, {@code bulkWrite}: reserve the documents they insert (and each
 *       one's BSON size under a bytes quota), plus one per upsert of a bulk write, before they run;
 *   <li>{@code updateOne}, {@code updateMany}, {@code replaceOne}, {@code findOneAndUpdate},
 *       {@code findOneAndReplace} with upsert: run first without upsert, so that one which matches a document
 *       needs no reservation and passes at the limit; only if it matched nothing do they reserve one item and
 *       run as asked (with {@link ReturnDocument#AFTER} and a document inserted by another writer between the
 *       two steps, the count errs one high until reconciliation);
 *   <li>{@code deleteOne}, {@code deleteMany}, {@code findOneAndDelete} and bulk deletes give back what they
 *       removed; {@code drop} and {@code renameCollection} take the collection's count to zero;
 *   <li>{@code renameCollection} into a collection under an items quota, and {@code aggregate} with
 *       {@code $out}, or {@code $merge} that inserts, into one are refused ({@link QuotaCommands}): what they
 *       add is not known before they run.
 * </ul>
 *
 * <p>Every other method passes through. A tenant without quotas costs one look at its tier and attributes,
 * and only on the methods above. Thread-safe.
 */
final class QuotaWrites {

    /** Collection methods that add or remove documents, or copy them into a collection. */
    static final Set<String> COUNTED = Set.of("insertOne", "insertMany", "bulkWrite", "updateOne", "updateMany",
            "replaceOne", "findOneAndUpdate", "findOneAndReplace", "deleteOne", "deleteMany", "findOneAndDelete",
            "drop", "renameCollection", "aggregate");

    final TenantQuotas quotas;
    private final QuotaCommands commands;

    QuotaWrites(TenantQuotas quotas) {
        this.quotas = quotas;
        this.commands = new QuotaCommands(this);
    }

    /** Calls {@code method} of the tenant's scoped collection {@code handle} of logical {@code logical}. */
    @Nullable Object collection(Routing.Target target, String logical, Method method, MongoCollection<?> handle,
            Object @Nullable [] args) throws Throwable {
        String name = method.getName();
        if (!COUNTED.contains(name)) {
            return RoutingHandles.call(method, handle, args);
        }
        Map<String, Quota> inForce = quotas.quotasOf(Objects.requireNonNull(target.entry, "a routed call's directory entry"));
        if (inForce.isEmpty()) {
            return RoutingHandles.call(method, handle, args);
        }
        QuotaWrite write = new QuotaWrite(quotas, target, logical, method, handle, args, inForce);
        switch (name) {
            case "insertOne":
                return write.reserving(1, write.sizeOf(write.arg(0)), result -> 1);
            case "insertMany": {
                List<?> documents = (List<?>) write.arg(0);
                BitSet inserts = new BitSet();
                inserts.set(0, documents.size());
                Object options = write.optionsIndex(2) < 0 ? null : write.args()[write.optionsIndex(2)];
                return write.batch(documents.size(), write.sizeOf(documents), inserts,
                        !(options instanceof InsertManyOptions) || ((InsertManyOptions) options).isOrdered(), false);
            }
            case "bulkWrite":
                return bulkWrite(write);
            case "updateOne":
            case "updateMany":
            case "replaceOne":
            case "findOneAndUpdate":
            case "findOneAndReplace":
                return upsert(write);
            case "deleteOne":
            case "deleteMany":
                return write.removing(result -> ((DeleteResult) result).wasAcknowledged()
                        ? ((DeleteResult) result).getDeletedCount() : 0);
            case "findOneAndDelete":
                return write.removing(result -> result == null ? 0 : 1);
            case "drop":
                return write.removing(result -> Long.MAX_VALUE);
            case "renameCollection":
                QuotaCommands.refuseRenameInto(write, ((MongoNamespace) write.arg(0)).getCollectionName());
                return write.removing(result -> Long.MAX_VALUE);
            default:
                QuotaCommands.refusePipelineInto(write, write.firstList());
                return write.call();
        }
    }

    /** Calls {@code method} of the tenant's scoped database {@code handle}. */
    @Nullable Object database(Routing.Target target, Method method, MongoDatabase handle, Object @Nullable [] args)
            throws Throwable {
        return commands.database(target, method, handle, args);
    }

    private static @Nullable Object bulkWrite(QuotaWrite write) throws Throwable {
        List<?> requests = (List<?>) write.arg(0);
        long adds = 0;
        long bytes = 0;
        boolean deletes = false;
        BitSet inserts = new BitSet();
        for (int i = 0; i < requests.size(); i++) {
            Object request = requests.get(i);
            if (request instanceof InsertOneModel) {
                inserts.set(i);
                adds++;
                bytes += write.sizeOf(((InsertOneModel<?>) request).getDocument());
            } else if (request instanceof ReplaceOneModel && ((ReplaceOneModel<?>) request).getReplaceOptions().isUpsert()) {
                adds++;
                bytes += write.sizeOf(((ReplaceOneModel<?>) request).getReplacement());
            } else if (request instanceof UpdateOneModel && ((UpdateOneModel<?>) request).getOptions().isUpsert()
                    || request instanceof UpdateManyModel && ((UpdateManyModel<?>) request).getOptions().isUpsert()) {
                adds++;
            } else if (request instanceof DeleteOneModel || request instanceof DeleteManyModel) {
                deletes = true;
            } else if (!(request instanceof WriteModel)) {
                throw new IllegalArgumentException("A bulk write takes WriteModels, got " + request);
            }
        }
        Object options = write.optionsIndex(2) < 0 ? null : write.args()[write.optionsIndex(2)];
        return write.batch(adds, bytes, inserts,
                !(options instanceof BulkWriteOptions) || ((BulkWriteOptions) options).isOrdered(), deletes);
    }

    /**
     * An update or replacement: with upsert, first without it, and only if that matched nothing, reserving
     * one item and running it as asked.
     */
    private static @Nullable Object upsert(QuotaWrite write) throws Throwable {
        int at = write.optionsIndex(3);
        Object options = at < 0 ? null : write.args()[at];
        if (!upserts(options)) {
            return write.call();
        }
        String name = write.method().getName();
        boolean replaces = name.equals("replaceOne") || name.equals("findOneAndReplace");
        long bytes = replaces ? write.sizeOf(write.arg(1)) : 0;
        if (!write.acknowledged()) {
            return write.reserving(1, bytes, result -> 1);
        }
        Object[] updateOnly = write.args().clone();
        updateOnly[at] = OptionsCopies.withoutUpsert(Objects.requireNonNull(options));
        Object matched = RoutingHandles.call(write.method(), write.handle(), updateOnly);
        if (matched instanceof UpdateResult ? ((UpdateResult) matched).getMatchedCount() > 0 : matched != null) {
            return matched;
        }
        boolean before = options instanceof FindOneAndUpdateOptions
                && ((FindOneAndUpdateOptions) options).getReturnDocument() == ReturnDocument.BEFORE
                || options instanceof FindOneAndReplaceOptions
                && ((FindOneAndReplaceOptions) options).getReturnDocument() == ReturnDocument.BEFORE;
        return write.reserving(1, bytes, result -> {
            if (result instanceof UpdateResult) {
                return ((UpdateResult) result).getUpsertedId() == null ? 0 : 1;
            }
            return (result == null) == before ? 1 : 0;
        });
    }

    private static boolean upserts(@Nullable Object options) {
        if (options instanceof UpdateOptions) {
            return ((UpdateOptions) options).isUpsert();
        }
        if (options instanceof ReplaceOptions) {
            return ((ReplaceOptions) options).isUpsert();
        }
        if (options instanceof FindOneAndUpdateOptions) {
            return ((FindOneAndUpdateOptions) options).isUpsert();
        }
        return options instanceof FindOneAndReplaceOptions && ((FindOneAndReplaceOptions) options).isUpsert();
    }
}
