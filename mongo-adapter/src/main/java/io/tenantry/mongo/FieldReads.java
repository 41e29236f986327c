package io.tenantry.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.AggregateIterable;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.ClientSession;
import com.mongodb.client.DistinctIterable;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MapReduceIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.CountOptions;
import com.mongodb.client.model.EstimatedDocumentCountOptions;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * The reading half of a FIELD collection: getters, counts, distinct, find, aggregate and watch,
 * each confined to the tenant. Every {@code ClientSession} overload behaves like its session-less
 * twin, with the session passed through. See {@link FieldCollection}.
 */
abstract class FieldReads<T> implements MongoCollection<T> {

    final FieldScope scope;
    final MongoCollection<T> delegate;
    private final FieldDocuments<T> documents;
    private @Nullable MongoCollection<T> unwrapping;

    FieldReads(FieldScope scope, MongoCollection<T> delegate) {
        this.scope = scope;
        this.delegate = delegate;
        this.documents = new FieldDocuments<>(scope, delegate.getCodecRegistry(), delegate.getDocumentClass());
    }

    /**
     * Returns the delegate decoding results with their ids unwrapped ({@link FieldIds#unwrapping}),
     * for operations whose results come straight from the stored documents ({@code find},
     * {@code findOneAnd...}); created on first use.
     */
    final MongoCollection<T> unwrapping() {
        MongoCollection<T> collection = unwrapping;
        if (collection == null) {
            collection = delegate.withCodecRegistry(scope.rules.ids().unwrapping(delegate.getCodecRegistry()));
            unwrapping = collection;
        }
        return collection;
    }

    final FieldDocuments<T> documents() {
        return documents;
    }

    final BsonDocument confined(@Nullable Bson filter) {
        return scope.filter(filter, delegate.getCodecRegistry());
    }

    static ClientSession session(ClientSession session) {
        return Objects.requireNonNull(session, "clientSession");
    }

    /** Returns the shared collection's real namespace: the data lives there, among other tenants'. */
    @Override
    public MongoNamespace getNamespace() {
        return delegate.getNamespace();
    }

    @Override
    public Class<T> getDocumentClass() {
        return delegate.getDocumentClass();
    }

    @Override
    public CodecRegistry getCodecRegistry() {
        return delegate.getCodecRegistry();
    }

    @Override
    public ReadPreference getReadPreference() {
        return delegate.getReadPreference();
    }

    @Override
    public WriteConcern getWriteConcern() {
        return delegate.getWriteConcern();
    }

    @Override
    public ReadConcern getReadConcern() {
        return delegate.getReadConcern();
    }

    @Override
    public @Nullable Long getTimeout(TimeUnit timeUnit) {
        return delegate.getTimeout(timeUnit);
    }

    // ---- counts

    @Override
    public long countDocuments() {
        return countScoped(null, null, new CountOptions());
    }

    @Override
    public long countDocuments(Bson filter) {
        return countScoped(null, filter, new CountOptions());
    }

    @Override
    public long countDocuments(Bson filter, CountOptions options) {
        return countScoped(null, filter, options);
    }

    @Override
    public long countDocuments(ClientSession clientSession) {
        return countScoped(session(clientSession), null, new CountOptions());
    }

    @Override
    public long countDocuments(ClientSession clientSession, Bson filter) {
        return countScoped(session(clientSession), filter, new CountOptions());
    }

    @Override
    public long countDocuments(ClientSession clientSession, Bson filter, CountOptions options) {
        return countScoped(session(clientSession), filter, options);
    }

    private long countScoped(@Nullable ClientSession session, @Nullable Bson filter, CountOptions options) {
        BsonDocument confined = confined(filter);
        return session == null ? delegate.countDocuments(confined, options)
                : delegate.countDocuments(session, confined, options);
    }

    /**
     * Returns the number of the tenant's documents, counted exactly: the collection's estimated
     * count would reveal how many documents all tenants hold together.
     */
    @Override
    public long estimatedDocumentCount() {
        return countScoped(null, null, new CountOptions());
    }

    /** Like {@link #estimatedDocumentCount()}; the options' time limit and comment apply to the count. */
    @Override
    public long estimatedDocumentCount(EstimatedDocumentCountOptions options) {
        CountOptions count = new CountOptions().maxTime(options.getMaxTime(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS);
        if (options.getComment() != null) {
            count.comment(options.getComment());
        }
        return countScoped(null, null, count);
    }

    // ---- distinct

    @Override
    public <R> DistinctIterable<R> distinct(String fieldName, Class<R> resultClass) {
        return distinctScoped(null, fieldName, null, resultClass);
    }

    @Override
    public <R> DistinctIterable<R> distinct(String fieldName, Bson filter, Class<R> resultClass) {
        return distinctScoped(null, fieldName, filter, resultClass);
    }

    @Override
    public <R> DistinctIterable<R> distinct(ClientSession clientSession, String fieldName, Class<R> resultClass) {
        return distinctScoped(session(clientSession), fieldName, null, resultClass);
    }

    @Override
    public <R> DistinctIterable<R> distinct(ClientSession clientSession, String fieldName, Bson filter,
            Class<R> resultClass) {
        return distinctScoped(session(clientSession), fieldName, filter, resultClass);
    }

    private <R> DistinctIterable<R> distinctScoped(@Nullable ClientSession session, String fieldName, @Nullable Bson filter,
            Class<R> resultClass) {
        BsonDocument confined = confined(filter);
        String path = FieldIds.path(Objects.requireNonNull(fieldName, "fieldName"));
        DistinctIterable<R> iterable = session == null ? delegate.distinct(path, confined, resultClass)
                : delegate.distinct(session, path, confined, resultClass);
        return FieldScope.bind(DistinctIterable.class, iterable, scope.policy(delegate.getCodecRegistry()));
    }

    // ---- find

    @Override
    public FindIterable<T> find() {
        return findScoped(null, null, delegate.getDocumentClass());
    }

    @Override
    public <R> FindIterable<R> find(Class<R> resultClass) {
        return findScoped(null, null, resultClass);
    }

    @Override
    public FindIterable<T> find(Bson filter) {
        return findScoped(null, filter, delegate.getDocumentClass());
    }

    @Override
    public <R> FindIterable<R> find(Bson filter, Class<R> resultClass) {
        return findScoped(null, filter, resultClass);
    }

    @Override
    public FindIterable<T> find(ClientSession clientSession) {
        return findScoped(session(clientSession), null, delegate.getDocumentClass());
    }

    @Override
    public <R> FindIterable<R> find(ClientSession clientSession, Class<R> resultClass) {
        return findScoped(session(clientSession), null, resultClass);
    }

    @Override
    public FindIterable<T> find(ClientSession clientSession, Bson filter) {
        return findScoped(session(clientSession), filter, delegate.getDocumentClass());
    }

    @Override
    public <R> FindIterable<R> find(ClientSession clientSession, Bson filter, Class<R> resultClass) {
        return findScoped(session(clientSession), filter, resultClass);
    }

    private <R> FindIterable<R> findScoped(@Nullable ClientSession session, @Nullable Bson filter, Class<R> resultClass) {
        BsonDocument confined = confined(filter);
        FindIterable<R> iterable = session == null ? unwrapping().find(confined, resultClass)
                : unwrapping().find(session, confined, resultClass);
        return FieldScope.bind(FindIterable.class, iterable, scope.policy(delegate.getCodecRegistry()));
    }

    // ---- aggregate

    @Override
    public AggregateIterable<T> aggregate(List<? extends Bson> pipeline) {
        return aggregateScoped(null, pipeline, delegate.getDocumentClass());
    }

    @Override
    public <R> AggregateIterable<R> aggregate(List<? extends Bson> pipeline, Class<R> resultClass) {
        return aggregateScoped(null, pipeline, resultClass);
    }

    @Override
    public AggregateIterable<T> aggregate(ClientSession clientSession, List<? extends Bson> pipeline) {
        return aggregateScoped(session(clientSession), pipeline, delegate.getDocumentClass());
    }

    @Override
    public <R> AggregateIterable<R> aggregate(ClientSession clientSession, List<? extends Bson> pipeline,
            Class<R> resultClass) {
        return aggregateScoped(session(clientSession), pipeline, resultClass);
    }

    /**
     * Runs the pipeline confined by {@link PipelineConfinement}: the tenant condition first, every
     * collection it reads ({@code $lookup}, {@code $unionWith}, ...) filtered too, {@code $merge}
     * stamped, {@code $out} refused (it would replace a collection every tenant shares).
     */
    private <R> AggregateIterable<R> aggregateScoped(@Nullable ClientSession session, List<? extends Bson> pipeline,
            Class<R> resultClass) {
        List<BsonDocument> confined = scope.confine(pipeline, delegate.getCodecRegistry());
        AggregateIterable<R> iterable = session == null ? delegate.aggregate(confined, resultClass)
                : delegate.aggregate(session, confined, resultClass);
        return FieldScope.bind(AggregateIterable.class, iterable, scope.policy(delegate.getCodecRegistry()));
    }

    // ---- watch

    /**
     * Returns a change stream of this tenant's events only, recognised by the tenant field of the
     * looked-up document or of its pre-image. Fails closed: an event that carries neither (notably a
     * delete on a collection without {@code changeStreamPreAndPostImages}) is dropped; see
     * {@link FieldChangeStreams}.
     */
    @Override
    public ChangeStreamIterable<T> watch() {
        return watchScoped(null, List.of(), delegate.getDocumentClass());
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(Class<R> resultClass) {
        return watchScoped(null, List.of(), resultClass);
    }

    @Override
    public ChangeStreamIterable<T> watch(List<? extends Bson> pipeline) {
        return watchScoped(null, pipeline, delegate.getDocumentClass());
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(List<? extends Bson> pipeline, Class<R> resultClass) {
        return watchScoped(null, pipeline, resultClass);
    }

    @Override
    public ChangeStreamIterable<T> watch(ClientSession clientSession) {
        return watchScoped(session(clientSession), List.of(), delegate.getDocumentClass());
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(ClientSession clientSession, Class<R> resultClass) {
        return watchScoped(session(clientSession), List.of(), resultClass);
    }

    @Override
    public ChangeStreamIterable<T> watch(ClientSession clientSession, List<? extends Bson> pipeline) {
        return watchScoped(session(clientSession), pipeline, delegate.getDocumentClass());
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(ClientSession clientSession, List<? extends Bson> pipeline,
            Class<R> resultClass) {
        return watchScoped(session(clientSession), pipeline, resultClass);
    }

    private <R> ChangeStreamIterable<R> watchScoped(@Nullable ClientSession session, List<? extends Bson> pipeline,
            Class<R> resultClass) {
        List<BsonDocument> confined = FieldChangeStreams.pipeline(scope, pipeline, delegate.getCodecRegistry());
        ChangeStreamIterable<R> iterable = session == null ? delegate.watch(confined, resultClass)
                : delegate.watch(session, confined, resultClass);
        return FieldChangeStreams.bind(scope, iterable, delegate.getCodecRegistry());
    }

    // ---- mapReduce: refused

    /** Refused: see {@link #refuseMapReduce()}. */
    @Deprecated
    @Override
    public MapReduceIterable<T> mapReduce(String mapFunction, String reduceFunction) {
        throw refuseMapReduce();
    }

    /** Refused: see {@link #refuseMapReduce()}. */
    @Deprecated
    @Override
    public <R> MapReduceIterable<R> mapReduce(String mapFunction, String reduceFunction, Class<R> resultClass) {
        throw refuseMapReduce();
    }

    /** Refused: see {@link #refuseMapReduce()}. */
    @Deprecated
    @Override
    public MapReduceIterable<T> mapReduce(ClientSession clientSession, String mapFunction, String reduceFunction) {
        throw refuseMapReduce();
    }

    /** Refused: see {@link #refuseMapReduce()}. */
    @Deprecated
    @Override
    public <R> MapReduceIterable<R> mapReduce(ClientSession clientSession, String mapFunction, String reduceFunction,
            Class<R> resultClass) {
        throw refuseMapReduce();
    }

    private RuntimeException refuseMapReduce() {
        return scope.refuse("mapReduce", "it is deprecated, and its JavaScript functions cannot be confined to one"
                + " tenant.", "Use aggregate(...), which Tenantry confines.");
    }
}
