package io.tenantry.mongo;

import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.AggregateIterable;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.ClientSession;
import com.mongodb.client.ListCollectionNamesIterable;
import com.mongodb.client.ListCollectionsIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.CreateViewOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's view of the physical database that holds its collections, for the two models whose
 * collections hold one tenant's documents only. Every method of {@link MongoDatabase} is
 * implemented here; what differs between the models is left to the subclasses:
 * {@link CollectionModelDatabase} (a shared database, the tenant's collections under prefixed names)
 * and {@link TenantDatabase} (the tenant's own database).
 *
 * <p>Common to both: collection names are logical and mapped through the {@link OwnedNamespace};
 * view pipelines and aggregations are confined to the tenant's collections; returned iterables are
 * bound to the tenant. ClientSession overloads behave like the others. Thread-safe.
 */
abstract class OwnedDatabase implements MongoDatabase {

    final MongoDatabase physical;
    final OwnedNamespace namespace;
    private final ScopedIterables.Policy policy;

    OwnedDatabase(MongoDatabase physical, OwnedNamespace namespace) {
        this.physical = physical;
        this.namespace = namespace;
        this.policy = ScopedIterables.Policy.owned(namespace.tenant);
    }

    /** Returns the same view over {@code options}, the physical database with other options. */
    abstract MongoDatabase rewrap(MongoDatabase options);

    /**
     * Returns the command to send for {@code command}, maybe rewritten.
     *
     * @throws io.tenantry.IsolationViolationException if the model refuses it
     */
    abstract Bson checkCommand(Bson command);

    /** Drops the tenant's collections, and nothing else. */
    abstract void dropOwned(@Nullable ClientSession session);

    /** Lists the names of the tenant's collections, logical. */
    abstract ListCollectionNamesIterable listNames(@Nullable ClientSession session);

    /** Lists the tenant's collections, under logical names. */
    abstract <R> ListCollectionsIterable<R> collections(@Nullable ClientSession session, Class<R> resultClass);

    /**
     * Returns {@code options} if the model allows them for a new collection.
     *
     * @throws io.tenantry.IsolationViolationException otherwise
     */
    abstract CreateCollectionOptions checkCreate(CreateCollectionOptions options);

    /**
     * Throws unless the model allows the database-level {@code operation} ({@code watch},
     * {@code aggregate}), which sees every collection of the physical database.
     *
     * @throws io.tenantry.IsolationViolationException if it does not
     */
    abstract void checkDatabaseWide(String operation);

    /** Returns {@code pipeline} with every collection it references mapped into the tenant's namespace. */
    final List<BsonDocument> confine(List<? extends Bson> pipeline) {
        return PipelineConfinement.confine(pipeline, namespace, physical.getCodecRegistry());
    }

    /** Returns {@code iterable} bound to the tenant: it executes only while that tenant is bound. */
    @SuppressWarnings("unchecked")
    final <I> I bind(Class<? super I> type, I iterable) {
        return (I) ScopedIterables.bind((Class<Object>) type, iterable, policy, namespace.store());
    }

    @Override
    public String toString() {
        return "Tenantry database " + physical.getName() + " of tenant " + namespace.tenant;
    }

    @Override
    public String getName() {
        return physical.getName();
    }

    @Override
    public CodecRegistry getCodecRegistry() {
        return physical.getCodecRegistry();
    }

    @Override
    public ReadPreference getReadPreference() {
        return physical.getReadPreference();
    }

    @Override
    public WriteConcern getWriteConcern() {
        return physical.getWriteConcern();
    }

    @Override
    public ReadConcern getReadConcern() {
        return physical.getReadConcern();
    }

    @Override
    public @Nullable Long getTimeout(TimeUnit timeUnit) {
        return physical.getTimeout(timeUnit);
    }

    @Override
    public MongoDatabase withCodecRegistry(CodecRegistry codecRegistry) {
        return rewrap(physical.withCodecRegistry(codecRegistry));
    }

    @Override
    public MongoDatabase withReadPreference(ReadPreference readPreference) {
        return rewrap(physical.withReadPreference(readPreference));
    }

    @Override
    public MongoDatabase withWriteConcern(WriteConcern writeConcern) {
        return rewrap(physical.withWriteConcern(writeConcern));
    }

    @Override
    public MongoDatabase withReadConcern(ReadConcern readConcern) {
        return rewrap(physical.withReadConcern(readConcern));
    }

    @Override
    public MongoDatabase withTimeout(long timeout, TimeUnit timeUnit) {
        return rewrap(physical.withTimeout(timeout, timeUnit));
    }

    @Override
    public MongoCollection<Document> getCollection(String collectionName) {
        return getCollection(collectionName, Document.class);
    }

    @Override
    public <T> MongoCollection<T> getCollection(String collectionName, Class<T> documentClass) {
        return new OwnedCollection<>(physical.getCollection(namespace.physical(collectionName), documentClass),
                namespace);
    }

    @Override
    public Document runCommand(Bson command) {
        return physical.runCommand(checkCommand(command));
    }

    @Override
    public Document runCommand(ClientSession clientSession, Bson command) {
        return physical.runCommand(clientSession, checkCommand(command));
    }

    @Override
    public Document runCommand(Bson command, ReadPreference readPreference) {
        return physical.runCommand(checkCommand(command), readPreference);
    }

    @Override
    public Document runCommand(ClientSession clientSession, Bson command, ReadPreference readPreference) {
        return physical.runCommand(clientSession, checkCommand(command), readPreference);
    }

    @Override
    public <R> R runCommand(Bson command, Class<R> resultClass) {
        return physical.runCommand(checkCommand(command), resultClass);
    }

    @Override
    public <R> R runCommand(ClientSession clientSession, Bson command, Class<R> resultClass) {
        return physical.runCommand(clientSession, checkCommand(command), resultClass);
    }

    @Override
    public <R> R runCommand(Bson command, ReadPreference readPreference, Class<R> resultClass) {
        return physical.runCommand(checkCommand(command), readPreference, resultClass);
    }

    @Override
    public <R> R runCommand(ClientSession clientSession, Bson command, ReadPreference readPreference,
            Class<R> resultClass) {
        return physical.runCommand(clientSession, checkCommand(command), readPreference, resultClass);
    }

    @Override
    public void drop() {
        dropOwned(null);
    }

    @Override
    public void drop(ClientSession clientSession) {
        dropOwned(clientSession);
    }

    @Override
    public ListCollectionNamesIterable listCollectionNames() {
        return listNames(null);
    }

    @Override
    public ListCollectionNamesIterable listCollectionNames(ClientSession clientSession) {
        return listNames(clientSession);
    }

    @Override
    public ListCollectionsIterable<Document> listCollections() {
        return collections(null, Document.class);
    }

    @Override
    public <R> ListCollectionsIterable<R> listCollections(Class<R> resultClass) {
        return collections(null, resultClass);
    }

    @Override
    public ListCollectionsIterable<Document> listCollections(ClientSession clientSession) {
        return collections(clientSession, Document.class);
    }

    @Override
    public <R> ListCollectionsIterable<R> listCollections(ClientSession clientSession, Class<R> resultClass) {
        return collections(clientSession, resultClass);
    }

    @Override
    public void createCollection(String collectionName) {
        physical.createCollection(namespace.physical(collectionName));
    }

    @Override
    public void createCollection(ClientSession clientSession, String collectionName) {
        physical.createCollection(clientSession, namespace.physical(collectionName));
    }

    @Override
    public void createCollection(String collectionName, CreateCollectionOptions createCollectionOptions) {
        physical.createCollection(namespace.physical(collectionName), checkCreate(createCollectionOptions));
    }

    @Override
    public void createCollection(ClientSession clientSession, String collectionName,
            CreateCollectionOptions createCollectionOptions) {
        physical.createCollection(clientSession, namespace.physical(collectionName),
                checkCreate(createCollectionOptions));
    }

    @Override
    public void createView(String viewName, String viewOn, List<? extends Bson> pipeline) {
        physical.createView(namespace.physical(viewName), namespace.physical(viewOn), confine(pipeline));
    }

    @Override
    public void createView(ClientSession clientSession, String viewName, String viewOn, List<? extends Bson> pipeline) {
        physical.createView(clientSession, namespace.physical(viewName), namespace.physical(viewOn), confine(pipeline));
    }

    @Override
    public void createView(String viewName, String viewOn, List<? extends Bson> pipeline,
            CreateViewOptions createViewOptions) {
        physical.createView(namespace.physical(viewName), namespace.physical(viewOn), confine(pipeline),
                createViewOptions);
    }

    @Override
    public void createView(ClientSession clientSession, String viewName, String viewOn,
            List<? extends Bson> pipeline, CreateViewOptions createViewOptions) {
        physical.createView(clientSession, namespace.physical(viewName), namespace.physical(viewOn),
                confine(pipeline), createViewOptions);
    }

    @Override
    public ChangeStreamIterable<Document> watch() {
        checkDatabaseWide("watch");
        return bind(ChangeStreamIterable.class, physical.watch());
    }

    @Override
    public ChangeStreamIterable<Document> watch(ClientSession clientSession) {
        checkDatabaseWide("watch");
        return bind(ChangeStreamIterable.class, physical.watch(clientSession));
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(Class<R> resultClass) {
        checkDatabaseWide("watch");
        return bind(ChangeStreamIterable.class, physical.watch(resultClass));
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(ClientSession clientSession, Class<R> resultClass) {
        checkDatabaseWide("watch");
        return bind(ChangeStreamIterable.class, physical.watch(clientSession,
                resultClass));
    }

    @Override
    public ChangeStreamIterable<Document> watch(List<? extends Bson> pipeline) {
        checkDatabaseWide("watch");
        return bind(ChangeStreamIterable.class, physical.watch(pipeline));
    }

    @Override
    public ChangeStreamIterable<Document> watch(ClientSession clientSession, List<? extends Bson> pipeline) {
        checkDatabaseWide("watch");
        return bind(ChangeStreamIterable.class, physical.watch(clientSession,
                pipeline));
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(List<? extends Bson> pipeline, Class<R> resultClass) {
        checkDatabaseWide("watch");
        return bind(ChangeStreamIterable.class, physical.watch(pipeline,
                resultClass));
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(ClientSession clientSession, List<? extends Bson> pipeline,
            Class<R> resultClass) {
        checkDatabaseWide("watch");
        return bind(ChangeStreamIterable.class, physical.watch(clientSession,
                pipeline, resultClass));
    }

    @Override
    public AggregateIterable<Document> aggregate(List<? extends Bson> pipeline) {
        checkDatabaseWide("aggregate");
        return bind(AggregateIterable.class,
                physical.aggregate(confine(pipeline)));
    }

    @Override
    public AggregateIterable<Document> aggregate(ClientSession clientSession, List<? extends Bson> pipeline) {
        checkDatabaseWide("aggregate");
        return bind(AggregateIterable.class,
                physical.aggregate(clientSession, confine(pipeline)));
    }

    @Override
    public <R> AggregateIterable<R> aggregate(List<? extends Bson> pipeline, Class<R> resultClass) {
        checkDatabaseWide("aggregate");
        return bind(AggregateIterable.class,
                physical.aggregate(confine(pipeline), resultClass));
    }

    @Override
    public <R> AggregateIterable<R> aggregate(ClientSession clientSession, List<? extends Bson> pipeline,
            Class<R> resultClass) {
        checkDatabaseWide("aggregate");
        return bind(AggregateIterable.class,
                physical.aggregate(clientSession, confine(pipeline), resultClass));
    }
}
