package io.tenantry.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * Two {@link TestClusters} MongoDB servers (in-process, or TENANTRY_MONGODB_URI), "main" and "dedicated", each reached by a real
 * driver client over a socket, with every command the clients send recorded as the server receives it.
 * Tenants acme, bravo and carol are premium (COLLECTION model in cardvault on main); delta and echo
 * are enterprise (DATABASE model, cv_ + id, on dedicated).
 */
final class TwoServers implements AutoCloseable {

    static final TenantId ACME = TenantId.of("acme");
    static final TenantId BRAVO = TenantId.of("bravo");
    static final TenantId CAROL = TenantId.of("carol");
    static final TenantId DELTA = TenantId.of("delta");
    static final TenantId ECHO = TenantId.of("echo");
    static final String SHARED_DB = "cardvault";

    private static final Set<String> QUIET = Set.of("hello", "isMaster", "ismaster", "endSessions", "buildInfo",
            "buildinfo", "ping", "getMore", "killCursors");

    final List<BsonDocument> mainCommands = new CopyOnWriteArrayList<>();
    final List<BsonDocument> dedicatedCommands = new CopyOnWriteArrayList<>();
    private final TestClusters mainCluster = TestClusters.start(s -> s.addCommandListener(recorder(mainCommands)), "main");
    private final TestClusters dedicatedCluster = TestClusters.start(
            s -> s.addCommandListener(recorder(dedicatedCommands)), "dedicated");
    final MongoClient main = mainCluster.client("main");
    final MongoClient dedicated = dedicatedCluster.client("dedicated");

    private static CommandListener recorder(List<BsonDocument> commands) {
        CommandListener listener = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                // The event's document is only valid during the callback: copy its bytes, then decode them.
                commands.add(new RawBsonDocument(event.getCommand(), new BsonDocumentCodec())
                        .decode(new BsonDocumentCodec()));
            }
        };
        return listener;
    }

    static TenantDirectory directory() {
        return TenantDirectory.inMemory(
                Tenant.builder(ACME).tier("premium").build(),
                Tenant.builder(BRAVO).tier("premium").build(),
                Tenant.builder(CAROL).tier("premium").build(),
                Tenant.builder(DELTA).tier("enterprise").build(),
                Tenant.builder(ECHO).tier("enterprise").build());
    }

    static TenantRouter router() {
        return TenantRouter.builder()
                .tier("premium", Placement.collection("main", SHARED_DB))
                .tier("enterprise", Placement.database("dedicated", "cv_"))
                .build();
    }

    TenantMongo.Builder builder() {
        return TenantMongo.builder().cluster("main", main).cluster("dedicated", dedicated)
                .directory(directory()).router(router());
    }

    /** Drops every database of both servers and forgets the recorded commands. */
    void reset() {
        for (MongoClient client : List.of(main, dedicated)) {
            for (String name : client.listDatabaseNames()) {
                client.getDatabase(name).drop();
            }
        }
        clearCommands();
    }

    void clearCommands() {
        mainCommands.clear();
        dedicatedCommands.clear();
    }

    /** Returns the recorded data commands (not handshakes or cursor traffic), oldest first. */
    static List<BsonDocument> dataCommands(List<BsonDocument> commands) {
        List<BsonDocument> data = new ArrayList<>();
        for (BsonDocument command : commands) {
            if (!QUIET.contains(command.getFirstKey())) {
                data.add(command);
            }
        }
        return data;
    }

    /** Returns the recorded data commands named {@code name}. */
    static List<BsonDocument> named(List<BsonDocument> commands, String name) {
        List<BsonDocument> found = new ArrayList<>();
        for (BsonDocument command : dataCommands(commands)) {
            if (command.getFirstKey().equals(name)) {
                found.add(command);
            }
        }
        return found;
    }

    /** Returns the raw, unconfined collection {@code collection} of database {@code database} on {@code client}. */
    static MongoCollection<Document> raw(MongoClient client, String database, String collection) {
        return client.getDatabase(database).getCollection(collection);
    }

    /** Every document of both servers, by "server:db.collection", in insertion order, read without Tenantry. */
    Map<String, List<Document>> everything() {
        Map<String, List<Document>> all = new TreeMap<>();
        collect("main", main, all);
        collect("dedicated", dedicated, all);
        return all;
    }

    /** {@link #everything()} restricted to the namespaces {@code keep} accepts. */
    Map<String, List<Document>> everything(Predicate<String> keep) {
        Map<String, List<Document>> all = everything();
        all.keySet().removeIf(keep.negate());
        return all;
    }

    private static void collect(String server, MongoClient client, Map<String, List<Document>> into) {
        for (String name : client.listDatabaseNames()) {
            MongoDatabase database = client.getDatabase(name);
            for (String collection : database.listCollectionNames()) {
                if (!collection.startsWith("system.")) {
                    into.put(server + ":" + name + "." + collection,
                            database.getCollection(collection).find().into(new ArrayList<>()));
                }
            }
        }
    }

    @Override
    public void close() {
        mainCluster.close();
        dedicatedCluster.close();
    }
}
