package io.tenantry.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.ClientSession;
import com.mongodb.client.ListCollectionNamesIterable;
import com.mongodb.client.ListCollectionsIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's view of the database that every tenant on a FIELD placement shares.
 *
 * <p>Collections come out as {@link FieldCollection}s. Listings show the shared collections
 * ({@code system.*} left out): their names are schema, not data. {@code createCollection} is
 * allowed and idempotent; options that would change how every tenant's documents are kept (capped,
 * validator, expiry) are refused. {@code runCommand} runs only {@value #ALLOWED_COMMANDS_TEXT}.
 * Dropping the database, creating views, database-level {@code aggregate} and {@code watch} are
 * refused ({@link FieldDatabaseRefusals}). Thread-safe.
 */
final class FieldDatabase extends FieldDatabaseRefusals {

    /** Commands that read nothing of any tenant, compared case-insensitively with a command's first key. */
    static final Set<String> ALLOWED_COMMANDS = Set.of("ping", "buildinfo", "hello", "ismaster");

    private static final String ALLOWED_COMMANDS_TEXT = "ping, buildInfo, hello and isMaster";

    /** The collections of the server's own, hidden from tenants. */
    private static final Bson NOT_SYSTEM = Filters.not(Filters.regex("name", Pattern.compile("^system\\.")));

    private final MongoDatabase delegate;

    FieldDatabase(FieldScope scope, MongoDatabase delegate) {
        super(scope);
        this.delegate = delegate;
    }

    @Override
    public String getName() {
        return delegate.getName();
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

    @Override
    public MongoDatabase withCodecRegistry(CodecRegistry codecRegistry) {
        return new FieldDatabase(scope, delegate.withCodecRegistry(codecRegistry));
    }

    @Override
    public MongoDatabase withReadPreference(ReadPreference readPreference) {
        return new FieldDatabase(scope, delegate.withReadPreference(readPreference));
    }

    @Override
    public MongoDatabase withWriteConcern(WriteConcern writeConcern) {
        return new FieldDatabase(scope, delegate.withWriteConcern(writeConcern));
    }

    @Override
    public MongoDatabase withReadConcern(ReadConcern readConcern) {
        return new FieldDatabase(scope, delegate.withReadConcern(readConcern));
    }

    @Override
    public MongoDatabase withTimeout(long timeout, TimeUnit timeUnit) {
        return new FieldDatabase(scope, delegate.withTimeout(timeout, timeUnit));
    }

    /**
     * Returns the tenant's view of shared collection {@code collectionName}.
     *
     * @throws IllegalArgumentException if the name is empty, contains {@code $} or NUL, or starts with {@code system.}
     */
    @Override
    public MongoCollection<Document> getCollection(String collectionName) {
        return getCollection(collectionName, Document.class);
    }

    @Override
    public <T> MongoCollection<T> getCollection(String collectionName, Class<T> documentClass) {
        return new FieldCollection<>(scope, delegate.getCollection(TenantMongo.checkLogicalName(collectionName),
                documentClass));
    }

    // ---- commands: harmless ones only

    @Override
    public Document runCommand(Bson command) {
        return runCommandScoped(null, command, null, Document.class);
    }

    @Override
    public Document runCommand(Bson command, ReadPreference readPreference) {
        return runCommandScoped(null, command, readPreference, Document.class);
    }

    @Override
    public <R> R runCommand(Bson command, Class<R> resultClass) {
        return runCommandScoped(null, command, null, resultClass);
    }

    @Override
    public <R> R runCommand(Bson command, ReadPreference readPreference, Class<R> resultClass) {
        return runCommandScoped(null, command, readPreference, resultClass);
    }

    @Override
    public Document runCommand(ClientSession clientSession, Bson command) {
        return runCommandScoped(FieldReads.session(clientSession), command, null, Document.class);
    }

    @Override
    public Document runCommand(ClientSession clientSession, Bson command, ReadPreference readPreference) {
        return runCommandScoped(FieldReads.session(clientSession), command, readPreference, Document.class);
    }

    @Override
    public <R> R runCommand(ClientSession clientSession, Bson command, Class<R> resultClass) {
        return runCommandScoped(FieldReads.session(clientSession), command, null, resultClass);
    }

    @Override
    public <R> R runCommand(ClientSession clientSession, Bson command, ReadPreference readPreference,
            Class<R> resultClass) {
        return runCommandScoped(FieldReads.session(clientSession), command, readPreference, resultClass);
    }

    private <R> R runCommandScoped(@Nullable ClientSession session, Bson command, @Nullable ReadPreference readPreference,
            Class<R> resultClass) {
        BsonDocument document = command.toBsonDocument(BsonDocument.class, delegate.getCodecRegistry());
        String name = document.isEmpty() ? "" : document.getFirstKey();
        if (!ALLOWED_COMMANDS.contains(name.toLowerCase(Locale.ROOT))) {
            throw scope.refuse("Command \"" + name + "\"", "a database command on the shared database could read or"
                    + " change every tenant's data, and only " + ALLOWED_COMMANDS_TEXT + " are known to touch none.",
                    "Use the collection methods, which Tenantry confines, or run administrative commands through"
                            + " TenantMongo.cluster(...).");
        }
        if (readPreference == null) {
            return session == null ? delegate.runCommand(document, resultClass)
                    : delegate.runCommand(session, document, resultClass);
        }
        return session == null ? delegate.runCommand(document, readPreference, resultClass)
                : delegate.runCommand(session, document, readPreference, resultClass);
    }

    // ---- listings: the shared collections, bound to the tenant

    @Override
    public ListCollectionNamesIterable listCollectionNames() {
        return names(delegate.listCollectionNames());
    }

    @Override
    public ListCollectionNamesIterable listCollectionNames(ClientSession clientSession) {
        return names(delegate.listCollectionNames(FieldReads.session(clientSession)));
    }

    private ListCollectionNamesIterable names(ListCollectionNamesIterable names) {
        return FieldScope.bind(ListCollectionNamesIterable.class, names.filter(NOT_SYSTEM), listingPolicy());
    }

    @Override
    public ListCollectionsIterable<Document> listCollections() {
        return collections(delegate.listCollections());
    }

    @Override
    public <R> ListCollectionsIterable<R> listCollections(Class<R> resultClass) {
        return collections(delegate.listCollections(resultClass));
    }

    @Override
    public ListCollectionsIterable<Document> listCollections(ClientSession clientSession) {
        return collections(delegate.listCollections(FieldReads.session(clientSession)));
    }

    @Override
    public <R> ListCollectionsIterable<R> listCollections(ClientSession clientSession, Class<R> resultClass) {
        return collections(delegate.listCollections(FieldReads.session(clientSession), resultClass));
    }

    private <R> ListCollectionsIterable<R> collections(ListCollectionsIterable<R> collections) {
        return FieldScope.bind(ListCollectionsIterable.class, collections.filter(NOT_SYSTEM), listingPolicy());
    }

    /** A later {@code filter(...)} is ANDed with the exclusion of {@code system.*}; explain does not apply. */
    private ScopedIterables.Policy listingPolicy() {
        return new ScopedIterables.Policy(scope.tenant,
                filter -> filter == null ? NOT_SYSTEM : Filters.and(NOT_SYSTEM, filter), false, Map.of());
    }

    // ---- createCollection: allowed, idempotent

    @Override
    public void createCollection(String collectionName) {
        createCollectionScoped(null, collectionName, new CreateCollectionOptions());
    }

    @Override
    public void createCollection(String collectionName, CreateCollectionOptions createCollectionOptions) {
        createCollectionScoped(null, collectionName, createCollectionOptions);
    }

    @Override
    public void createCollection(ClientSession clientSession, String collectionName) {
        createCollectionScoped(FieldReads.session(clientSession), collectionName, new CreateCollectionOptions());
    }

    @Override
    public void createCollection(ClientSession clientSession, String collectionName,
            CreateCollectionOptions createCollectionOptions) {
        createCollectionScoped(FieldReads.session(clientSession), collectionName, createCollectionOptions);
    }

    /**
     * Creates the shared collection unless it exists already (then does nothing: another tenant
     * created it). Refuses options that would change how the other tenants' documents are kept.
     */
    private void createCollectionScoped(@Nullable ClientSession session, String collectionName,
            CreateCollectionOptions options) {
        String name = TenantMongo.checkLogicalName(collectionName);
        String shared = sharedOption(options);
        if (shared != null) {
            throw scope.refuse("createCollection(\"" + name + "\") with " + shared, "the collection is shared, and"
                    + " that option would govern every tenant's documents in it.", "Create it without that option,"
                    + " or create it as an administrative step through TenantMongo.cluster(...).");
        }
        try {
            if (session == null) {
                delegate.createCollection(name, options);
            } else {
                delegate.createCollection(session, name, options);
            }
        } catch (MongoCommandException e) {
            if (!alreadyExists(e)) {
                throw e;
            }
        }
    }

    private static @Nullable String sharedOption(CreateCollectionOptions options) {
        if (options.isCapped()) {
            return "capped(true)";
        }
        if (options.getValidationOptions().getValidator() != null) {
            return "a validator";
        }
        if (options.getExpireAfter(TimeUnit.SECONDS) > 0) {
            return "expireAfter(...)";
        }
        return null;
    }

    /** NamespaceExists (48); older servers and some test servers say so only in the message. */
    static boolean alreadyExists(MongoCommandException e) {
        return e.getErrorCode() == 48
                || String.valueOf(e.getErrorMessage()).toLowerCase(Locale.ROOT).contains("already exists");
    }

    @Override
    public String toString() {
        return "Tenantry FIELD database " + delegate.getName() + " of tenant " + scope.tenant;
    }
}
