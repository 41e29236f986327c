package io.tenantry.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bson.BsonDocument;
import org.bson.Document;

/**
 * A FIELD-model deployment for tests: a {@link TestClusters} server (in-process, or TENANTRY_MONGODB_URI), a real driver
 * client that records every command it sends, and a {@link TenantMongo} placing tenants acme,
 * bravo and cobalt (tier "free") on {@code field("main", "cardvault")}.
 */
final class FieldMongo implements AutoCloseable {

    static final TenantId ACME = TenantId.of("acme");
    static final TenantId BRAVO = TenantId.of("bravo");
    static final TenantId COBALT = TenantId.of("cobalt");
    static final String DATABASE = "cardvault";

    private final TestClusters clusters;
    final MongoClient client;
    final TenantMongo mongo;
    private final List<BsonDocument> commands = new CopyOnWriteArrayList<>();

    FieldMongo() {
        this(builder -> { });
    }

    /** Starts the server; {@code configure} adds declarations (collections, tenant field) to the builder. */
    FieldMongo(Consumer<TenantMongo.Builder> configure) {
        CommandListener recorder = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commands.add(event.getCommand().clone());
            }
        };
        clusters = TestClusters.start(settings -> settings.addCommandListener(recorder), "main");
        client = clusters.client("main");
        TenantDirectory directory = TenantDirectory.inMemory(
                Tenant.builder(ACME).tier("free").build(),
                Tenant.builder(BRAVO).tier("free").build(),
                Tenant.builder(COBALT).tier("free").build());
        TenantMongo.Builder builder = TenantMongo.builder()
                .cluster("main", client)
                .directory(directory)
                .router(TenantRouter.builder().tier("free", Placement.field("main", DATABASE)).build());
        configure.accept(builder);
        mongo = builder.build();
    }

    /** The shared database as it really is, seen without any tenant confinement. */
    MongoDatabase raw() {
        return client.getDatabase(DATABASE);
    }

    /** The shared collection as it really is. */
    MongoCollection<Document> raw(String collection) {
        return raw().getCollection(collection);
    }

    /** Runs {@code body} as {@code tenant}. */
    static void as(TenantId tenant, Runnable body) {
        TenantContext.runAs(tenant, body::run);
    }

    /** Returns what {@code body} returns when run as {@code tenant}. */
    static <T> T callAs(TenantId tenant, Supplier<T> body) {
        return TenantContext.callAs(tenant, body::get);
    }

    /** Forgets the commands recorded so far. */
    void clearCommands() {
        commands.clear();
    }

    /** Returns the recorded commands named {@code name} (their first key), in order. */
    List<BsonDocument> commands(String name) {
        return commands.stream().filter(command -> command.getFirstKey().equals(name)).toList();
    }

    /** Returns the last recorded command named {@code name}. */
    BsonDocument lastCommand(String name) {
        List<BsonDocument> named = commands(name);
        if (named.isEmpty()) {
            throw new AssertionError("No " + name + " command was sent; sent: "
                    + commands.stream().map(BsonDocument::getFirstKey).toList());
        }
        return named.get(named.size() - 1);
    }

    @Override
    public void close() {
        client.close();
        clusters.close();
    }

    /**
     * Returns the caller's id of a document read from a shared collection directly: the FIELD model
     * stores ids with the tenant, as {@code {tenantId: ..., id: <the caller's id>}} (see FieldIds).
     */
    static Object callerId(Document stored) {
        Object id = stored.get("_id");
        return id instanceof Document wrapped ? wrapped.get("id") : id;
    }
}
