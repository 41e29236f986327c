package io.tenantry.mongo;

import com.mongodb.client.AggregateIterable;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.ClientSession;
import com.mongodb.client.DistinctIterable;
import com.mongodb.client.FindIterable;
import com.mongodb.client.ListIndexesIterable;
import com.mongodb.client.ListSearchIndexesIterable;
import com.mongodb.client.MapReduceIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.CountOptions;
import com.mongodb.client.model.EstimatedDocumentCountOptions;
import io.tenantry.IsolationViolationException;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The reading half of {@link OwnedCollection}: queries, counts, aggregations, change streams and
 * index listings of a physical collection that holds one tenant's documents only.
 *
 * <p>Because the collection is the tenant's own, queries pass through unchanged; what Tenantry adds
 * is that every pipeline is confined ({@code $lookup}, {@code $unionWith}, {@code $out},
 * {@code $merge}, ... reach only the tenant's collections, by logical name) and that every returned
 * iterable is bound to the tenant, so that one kept past the request cannot run for another tenant.
 * {@code mapReduce} is refused. ClientSession overloads behave like the others. Thread-safe.
 *
 * @param <T> the document class
 */
abstract class OwnedCollectionQueries<T> implements MongoCollection<T> {

    final MongoCollection<T> physical;
    final OwnedNamespace namespace;
    private final ScopedIterables.Policy policy;

    OwnedCollectionQueries(MongoCollection<T> physical, OwnedNamespace namespace) {
        this.physical = physical;
        this.namespace = namespace;
        this.policy = ScopedIterables.Policy.owned(namespace.tenant);
    }

    /** Returns {@code pipeline} with every collection it references mapped into the tenant's namespace. */
    final List<BsonDocument> confine(List<? extends Bson> pipeline) {
        return PipelineConfinement.confine(pipeline, namespace, physical.getCodecRegistry());
    }

    /** Returns {@code iterable} bound to the tenant: it executes only while that tenant is bound. */
    @SuppressWarnings("unchecked")
    final <I> I bind(Class<? super I> type, I iterable) {
        return (I) ScopedIterables.bind((Class<Object>) type, iterable, policy, namespace.store());
    }

    private static IsolationViolationException refuseMapReduce() {
        return new IsolationViolationException("mapReduce is refused: it can write its output to any collection or"
                + " database, and MongoDB deprecated it in 5.0. Use aggregate(...) instead; its $out and $merge stages"
                + " are confined to the tenant's collections.");
    }

    @Override
    public long countDocuments() {
        return physical.countDocuments();
    }

    @Override
    public long countDocuments(ClientSession clientSession) {
        return physical.countDocuments(clientSession);
    }

    @Override
    public long countDocuments(Bson filter) {
        return physical.countDocuments(filter);
    }

    @Override
    public long countDocuments(ClientSession clientSession, Bson filter) {
        return physical.countDocuments(clientSession, filter);
    }

    @Override
    public long countDocuments(Bson filter, CountOptions options) {
        return physical.countDocuments(filter, options);
    }

    @Override
    public long countDocuments(ClientSession clientSession, Bson filter, CountOptions options) {
        return physical.countDocuments(clientSession, filter, options);
    }

    @Override
    public long estimatedDocumentCount() {
        return physical.estimatedDocumentCount();
    }

    @Override
    public long estimatedDocumentCount(EstimatedDocumentCountOptions options) {
        return physical.estimatedDocumentCount(options);
    }

    @Override
    public <R> DistinctIterable<R> distinct(String fieldName, Class<R> resultClass) {
        return bind(DistinctIterable.class, physical.distinct(fieldName, resultClass));
    }

    @Override
    public <R> DistinctIterable<R> distinct(ClientSession clientSession, String fieldName, Class<R> resultClass) {
        return bind(DistinctIterable.class, physical.distinct(clientSession, fieldName, resultClass));
    }

    @Override
    public <R> DistinctIterable<R> distinct(String fieldName, Bson filter, Class<R> resultClass) {
        return bind(DistinctIterable.class, physical.distinct(fieldName, filter, resultClass));
    }

    @Override
    public <R> DistinctIterable<R> distinct(ClientSession clientSession, String fieldName, Bson filter,
            Class<R> resultClass) {
        return bind(DistinctIterable.class, physical.distinct(clientSession, fieldName, filter, resultClass));
    }

    @Override
    public FindIterable<T> find() {
        return bind(FindIterable.class, physical.find());
    }

    @Override
    public FindIterable<T> find(ClientSession clientSession) {
        return bind(FindIterable.class, physical.find(clientSession));
    }

    @Override
    public <R> FindIterable<R> find(Class<R> resultClass) {
        return bind(FindIterable.class, physical.find(resultClass));
    }

    @Override
    public <R> FindIterable<R> find(ClientSession clientSession, Class<R> resultClass) {
        return bind(FindIterable.class, physical.find(clientSession, resultClass));
    }

    @Override
    public FindIterable<T> find(Bson filter) {
        return bind(FindIterable.class, physical.find(filter));
    }

    @Override
    public FindIterable<T> find(ClientSession clientSession, Bson filter) {
        return bind(FindIterable.class, physical.find(clientSession, filter));
    }

    @Override
    public <R> FindIterable<R> find(Bson filter, Class<R> resultClass) {
        return bind(FindIterable.class, physical.find(filter, resultClass));
    }

    @Override
    public <R> FindIterable<R> find(ClientSession clientSession, Bson filter, Class<R> resultClass) {
        return bind(FindIterable.class, physical.find(clientSession, filter, resultClass));
    }

    @Override
    public AggregateIterable<T> aggregate(List<? extends Bson> pipeline) {
        return bind(AggregateIterable.class, physical.aggregate(confine(pipeline)));
    }

    @Override
    public AggregateIterable<T> aggregate(ClientSession clientSession, List<? extends Bson> pipeline) {
        return bind(AggregateIterable.class, physical.aggregate(clientSession, confine(pipeline)));
    }

    @Override
    public <R> AggregateIterable<R> aggregate(List<? extends Bson> pipeline, Class<R> resultClass) {
        return bind(AggregateIterable.class, physical.aggregate(confine(pipeline), resultClass));
    }

    @Override
    public <R> AggregateIterable<R> aggregate(ClientSession clientSession, List<? extends Bson> pipeline,
            Class<R> resultClass) {
        return bind(AggregateIterable.class, physical.aggregate(clientSession, confine(pipeline), resultClass));
    }

    @Override
    public ChangeStreamIterable<T> watch() {
        return bind(ChangeStreamIterable.class, physical.watch());
    }

    @Override
    public ChangeStreamIterable<T> watch(ClientSession clientSession) {
        return bind(ChangeStreamIterable.class, physical.watch(clientSession));
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(Class<R> resultClass) {
        return bind(ChangeStreamIterable.class, physical.watch(resultClass));
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(ClientSession clientSession, Class<R> resultClass) {
        return bind(ChangeStreamIterable.class, physical.watch(clientSession, resultClass));
    }

    @Override
    public ChangeStreamIterable<T> watch(List<? extends Bson> pipeline) {
        return bind(ChangeStreamIterable.class, physical.watch(pipeline));
    }

    @Override
    public ChangeStreamIterable<T> watch(ClientSession clientSession, List<? extends Bson> pipeline) {
        return bind(ChangeStreamIterable.class, physical.watch(clientSession, pipeline));
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(List<? extends Bson> pipeline, Class<R> resultClass) {
        return bind(ChangeStreamIterable.class, physical.watch(pipeline, resultClass));
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(ClientSession clientSession, List<? extends Bson> pipeline,
            Class<R> resultClass) {
        return bind(ChangeStreamIterable.class, physical.watch(clientSession, pipeline, resultClass));
    }

    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public MapReduceIterable<T> mapReduce(String mapFunction, String reduceFunction) {
        throw refuseMapReduce();
    }

    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public <R> MapReduceIterable<R> mapReduce(String mapFunction, String reduceFunction, Class<R> resultClass) {
        throw refuseMapReduce();
    }

    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public MapReduceIterable<T> mapReduce(ClientSession clientSession, String mapFunction, String reduceFunction) {
        throw refuseMapReduce();
    }

    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public <R> MapReduceIterable<R> mapReduce(ClientSession clientSession, String mapFunction,
            String reduceFunction,
            Class<R> resultClass) {
        throw refuseMapReduce();
    }

    @Override
    public ListIndexesIterable<Document> listIndexes() {
        return bind(ListIndexesIterable.class, physical.listIndexes());
    }

    @Override
    public ListIndexesIterable<Document> listIndexes(ClientSession clientSession) {
        return bind(ListIndexesIterable.class, physical.listIndexes(clientSession));
    }

    @Override
    public <R> ListIndexesIterable<R> listIndexes(Class<R> resultClass) {
        return bind(ListIndexesIterable.class, physical.listIndexes(resultClass));
    }

    @Override
    public <R> ListIndexesIterable<R> listIndexes(ClientSession clientSession, Class<R> resultClass) {
        return bind(ListIndexesIterable.class, physical.listIndexes(clientSession, resultClass));
    }

    @Override
    public ListSearchIndexesIterable<Document> listSearchIndexes() {
        return bind(ListSearchIndexesIterable.class, physical.listSearchIndexes());
    }

    @Override
    public <R> ListSearchIndexesIterable<R> listSearchIndexes(Class<R> resultClass) {
        return bind(ListSearchIndexesIterable.class, physical.listSearchIndexes(resultClass));
    }
}
