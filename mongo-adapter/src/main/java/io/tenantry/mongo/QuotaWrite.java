package io.tenantry.mongo;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoClientException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import io.tenantry.Quota;
import io.tenantry.TenantQuotas;
import java.lang.reflect.Method;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.bson.BsonBinaryWriter;
import org.bson.RawBsonDocument;
import org.bson.codecs.Encoder;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.jspecify.annotations.Nullable;

/**
 * One write of a tenant to logical collection {@code logical} under its quotas: reserves what it adds before it
 * runs, settles the reservation exactly once with what it wrote, whether it succeeded or failed, and gives back
 * what it removed.
 *
 * <p>What a failed write wrote: a bulk write's errors say which documents were not inserted (an ordered
 * {@code insertMany} stops at the first error, an unordered one writes all others); a single write's
 * error, a command the server refused as a whole, a failure on the client before sending, or an exception that
 * is not the driver's (a refusal of the scoped handle) wrote nothing. Any other failure (the connection lost,
 * a timeout after sending, a write-concern error) leaves the outcome unknown, and the reservation is kept: the
 * count errs high, never low, until reconciliation. Unacknowledged writes are counted as written, and their
 * deletes give nothing back. Not thread-safe: one write, one thread.
 */
final class QuotaWrite {

    /** Counts what an acknowledged write wrote (or removed), from its result. */
    interface Count {
        long of(@Nullable Object result);
    }

    private final TenantQuotas quotas;
    private final Routing.Target target;
    private final String logical;
    private final Method method;
    private final MongoCollection<?> handle;
    private final Object[] args;
    private final Map<String, Quota> inForce;
    /** The index of the first argument after the session, if the method takes one. */
    private final int first;
    private final boolean items;
    private final boolean bytes;

    QuotaWrite(TenantQuotas quotas, Routing.Target target, String logical, Method method, MongoCollection<?> handle,
            Object @Nullable [] args, Map<String, Quota> inForce) {
        this.quotas = quotas;
        this.target = target;
        this.logical = logical;
        this.method = method;
        this.handle = handle;
        this.args = args == null ? new Object[0] : args;
        this.inForce = inForce;
        this.first = method.getParameterCount() > 0 && method.getParameterTypes()[0] == ClientSession.class ? 1 : 0;
        this.items = inForce.containsKey(Quota.key(Quota.Kind.ITEMS, logical));
        this.bytes = inForce.containsKey(Quota.key(Quota.Kind.BYTES, ""));
    }

    Routing.Target target() {
        return target;
    }

    Map<String, Quota> inForce() {
        return inForce;
    }

    Method method() {
        return method;
    }

    MongoCollection<?> handle() {
        return handle;
    }

    Object[] args() {
        return args;
    }

    /** Returns the {@code index}th argument after the session. */
    Object arg(int index) {
        return args[first + index];
    }

    /** Returns the first list argument (a pipeline), or null. */
    @Nullable List<?> firstList() {
        for (Object arg : args) {
            if (arg instanceof List) {
                return (List<?>) arg;
            }
        }
        return null;
    }

    /** Returns the index of the options of a method taking them last of {@code arity} arguments, or -1 without them. */
    int optionsIndex(int arity) {
        return args.length == first + arity ? first + arity - 1 : -1;
    }

    /** Whether the handle's writes are acknowledged, so that their results say what they did. */
    boolean acknowledged() {
        return handle.getWriteConcern().isAcknowledged();
    }

    @Nullable Object call() throws Throwable {
        return RoutingHandles.call(method, handle, args);
    }

    /** Returns the BSON size of {@code document} (or the sum over a list) under a bytes quota, else zero. */
    long sizeOf(@Nullable Object document) {
        if (!bytes || document == null) {
            return 0;
        }
        if (document instanceof List) {
            long sum = 0;
            for (Object each : (List<?>) document) {
                sum += sizeOf(each);
            }
            return sum;
        }
        if (document instanceof RawBsonDocument) {
            return ((RawBsonDocument) document).getByteBuffer().remaining();
        }
        @SuppressWarnings("unchecked")
        Encoder<Object> encoder = (Encoder<Object>) handle.getCodecRegistry().get(document.getClass());
        try (BasicOutputBuffer buffer = new BasicOutputBuffer(); BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
            encoder.encode(writer, document, EncoderContext.builder().isEncodingCollectibleDocument(true).build());
            return buffer.getPosition();
        }
    }

    /**
     * Reserves {@code items} documents of {@code bytes} bytes, runs the write, and settles with what
     * {@code written} counts in its result (or what a failure says was written).
     */
    @Nullable Object reserving(long items, long bytes, Count written) throws Throwable {
        if (!this.items && !this.bytes) {
            return call();
        }
        TenantQuotas.Reservation reservation = reserve(items, bytes);
        Object result;
        try {
            result = call();
        } catch (Throwable e) {
            reservation.settle(writtenDespite(e, items));
            throw e;
        }
        reservation.settle(written.of(result));
        return result;
    }

    /** Runs the write and gives back what {@code removed} counts in its result. */
    @Nullable Object removing(Count removed) throws Throwable {
        Object result = call();
        if (items) {
            giveBack(removed.of(result));
        }
        return result;
    }

    /**
     * Runs an {@code insertMany} or a {@code bulkWrite} that adds {@code adds} documents of {@code size} bytes:
     * the requests at {@code inserts} insert, the others may upsert or delete.
     */
    @Nullable Object batch(long adds, long size, BitSet inserts, boolean ordered, boolean deletes) throws Throwable {
        if (!items && !bytes) {
            return call();
        }
        TenantQuotas.Reservation reservation = adds > 0 ? reserve(adds, size) : TenantQuotas.Reservation.NONE;
        Object result;
        try {
            result = call();
        } catch (MongoBulkWriteException e) {
            reservation.settle(inserted(e, inserts, ordered) + e.getWriteResult().getUpserts().size());
            if (deletes && items) {
                giveBack(e.getWriteResult().getDeletedCount());
            }
            throw e;
        } catch (Throwable e) {
            reservation.settle(writtenDespite(e, adds));
            throw e;
        }
        if (!(result instanceof BulkWriteResult) || !((BulkWriteResult) result).wasAcknowledged()) {
            reservation.settle(adds);
            return result;
        }
        BulkWriteResult written = (BulkWriteResult) result;
        reservation.settle(written.getInsertedCount() + written.getUpserts().size());
        if (deletes && items) {
            giveBack(written.getDeletedCount());
        }
        return result;
    }

    /**
     * The inserts at {@code inserts} that a failed batch wrote: those without an error, and in an ordered batch
     * only those before the first error. Read from the errors rather than the reply's count, which not every
     * server reports as written when a batch has errors (mongo-java-server counts every document).
     */
    private static long inserted(MongoBulkWriteException failure, BitSet inserts, boolean ordered) {
        BitSet failed = new BitSet();
        int firstError = Integer.MAX_VALUE;
        for (BulkWriteError error : failure.getWriteErrors()) {
            failed.set(error.getIndex());
            firstError = Math.min(firstError, error.getIndex());
        }
        long written = 0;
        for (int i = inserts.nextSetBit(0); i >= 0 && (!ordered || i < firstError); i = inserts.nextSetBit(i + 1)) {
            if (!failed.get(i)) {
                written++;
            }
        }
        return written;
    }

    private TenantQuotas.Reservation reserve(long items, long size) {
        return quotas.reserve(target.tenant, logical, items, size, () -> handle.countDocuments());
    }

    private void giveBack(long removed) {
        if (removed > 0) {
            quotas.removed(target.tenant, logical, removed);
        }
    }

    /** What a write that reserved {@code reserved} and failed with {@code failure} wrote, or kept if unknown. */
    static long writtenDespite(Throwable failure, long reserved) {
        if (failure instanceof MongoWriteException || failure instanceof MongoCommandException
                || failure instanceof MongoClientException && !(failure instanceof MongoOperationTimeoutException)) {
            return 0;
        }
        return failure instanceof MongoException || failure instanceof Error ? reserved : 0;
    }
}
