package io.tenantry.mongo.lifecycle;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.mongo.TenantMongo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * Two MongoDB clusters for the lifecycle tests, "main" and "other": an in-process mongo-java-server each
 * (memory backend, real driver over a socket), or both on the server that {@code TENANTRY_MONGODB_URI}
 * names, whose databases are dropped first. Placements on the two clusters use different database names,
 * so that they stay apart on one real server too. Also reads everything back raw, without Tenantry, to
 * find every trace of a tenant.
 */
final class LifecycleServers implements AutoCloseable {

    static final String CONTROL = "control";
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId BRAVO = TenantId.of("bravo");
    static final TenantId CAROL = TenantId.of("carol");
    static final List<TenantId> TENANTS = List.of(ACME, BRAVO, CAROL);

    static final Placement FIELD_MAIN = Placement.field("main", "app");
    /** A database of its own: one database never holds two isolation models (the adapter refuses that). */
    static final Placement COLLECTION_MAIN = Placement.collection("main", "shared1");
    static final Placement DATABASE_MAIN = Placement.database("main", "t_");
    static final Placement FIELD_OTHER = Placement.field("other", "app2");
    static final Placement COLLECTION_OTHER = Placement.collection("other", "shared2");
    static final Placement DATABASE_OTHER = Placement.database("other", "u_");
    static final List<Placement> PLACEMENTS = List.of(FIELD_MAIN, COLLECTION_MAIN, DATABASE_MAIN, FIELD_OTHER,
            COLLECTION_OTHER, DATABASE_OTHER);

    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
    private static final Set<String> SERVER_DATABASES = Set.of("admin", "local", "config");

    private final List<MongoServer> servers = new ArrayList<>();
    private final boolean real;
    final MongoClient main;
    final MongoClient other;

    LifecycleServers() {
        String uri = System.getenv("TENANTRY_MONGODB_URI");
        real = uri != null && !uri.isBlank();
        main = client(real ? uri : start());
        other = client(real ? uri : start());
        reset();
    }

    private String start() {
        MongoServer server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        servers.add(server);
        return "mongodb://127.0.0.1:" + address.getPort();
    }

    private static MongoClient client(String uri) {
        return MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(5, TimeUnit.SECONDS)).build());
    }

    /** Drops every database but the server's own, on both clusters. */
    void reset() {
        for (MongoClient client : scanned().values()) {
            for (String name : client.listDatabaseNames()) {
                if (!SERVER_DATABASES.contains(name)) {
                    client.getDatabase(name).drop();
                }
            }
        }
    }

    MongoDatabase control() {
        return main.getDatabase(CONTROL);
    }

    /** Returns the router of the tests: pinned placements win, else {@link #FIELD_MAIN}. */
    static TenantRouter router() {
        return TenantRouter.builder().otherwise(FIELD_MAIN).build();
    }

    /** Returns a TenantMongo over both clusters, with {@code cards} declared with an index on {@code n}. */
    TenantMongo mongo(TenantDirectory directory) {
        return TenantMongo.builder().cluster("main", main).cluster("other", other).directory(directory)
                .router(router()).collection("cards", c -> c.index(Indexes.ascending("n"))).build();
    }

    private Map<String, MongoClient> scanned() {
        Map<String, MongoClient> clients = new LinkedHashMap<>();
        if (real) {
            clients.put("real", main);
        } else {
            clients.put("main", main);
            clients.put("other", other);
        }
        return clients;
    }

    /**
     * Returns every collection of both clusters, empty ones included, as "cluster:database.collection"
     * to its documents in extended JSON, sorted; the server's own databases and {@code system.*} left out.
     */
    Map<String, List<String>> scan() {
        Map<String, List<String>> all = new TreeMap<>();
        scanned().forEach((cluster, client) -> {
            for (String name : client.listDatabaseNames()) {
                if (SERVER_DATABASES.contains(name)) {
                    continue;
                }
                MongoDatabase database = client.getDatabase(name);
                for (String collection : database.listCollectionNames()) {
                    if (!collection.startsWith("system.")) {
                        List<String> documents = new ArrayList<>();
                        for (BsonDocument document : database.getCollection(collection, BsonDocument.class).find()) {
                            documents.add(document.toJson(JSON));
                        }
                        documents.sort(null);
                        all.put(cluster + ":" + name + "." + collection, documents);
                    }
                }
            }
        });
        return all;
    }

    /**
     * Returns the raw documents of {@code tenant} in {@code scan}, by location: everything in its own
     * databases and per-tenant collections, and its documents (by the tenant field) in shared ones.
     */
    static Map<String, List<String>> dataOf(Map<String, List<String>> scan, TenantId tenant) {
        Map<String, List<String>> found = new TreeMap<>();
        scan.forEach((location, documents) -> {
            TenantId owner = ownerByName(location);
            List<String> mine = new ArrayList<>();
            for (String json : documents) {
                boolean ours = owner != null ? owner.equals(tenant) : fieldOwner(json).equals(tenant.value());
                if (ours) {
                    mine.add(json);
                }
            }
            if (!mine.isEmpty()) {
                found.put(location, mine);
            }
        });
        return found;
    }

    /**
     * Returns every location that shows {@code tenant}: its databases and per-tenant collections (even
     * empty) and shared collections with one of its documents.
     */
    static Set<String> traces(Map<String, List<String>> scan, TenantId tenant) {
        Set<String> traces = new TreeSet<>(dataOf(scan, tenant).keySet());
        for (String location : scan.keySet()) {
            if (tenant.equals(ownerByName(location))) {
                traces.add(location);
            }
        }
        return traces;
    }

    /** The tenant whose name a location bears (its database, or a per-tenant collection), or null if shared. */
    private static TenantId ownerByName(String location) {
        String namespace = location.substring(location.indexOf(':') + 1);
        String database = namespace.substring(0, namespace.indexOf('.'));
        if (database.equals(CONTROL)) {
            return TenantId.of("control-plane");
        }
        if (database.startsWith("t_") || database.startsWith("u_")) {
            return TenantId.of(database.substring(2));
        }
        String collection = namespace.substring(database.length() + 1);
        for (TenantId tenant : TENANTS) {
            if (collection.startsWith(tenant.value() + ".")) {
                return tenant;
            }
        }
        return null;
    }

    private static String fieldOwner(String json) {
        BsonValue owner = BsonDocument.parse(json).get(TenantMongo.DEFAULT_TENANT_FIELD);
        return owner != null && owner.isString() ? owner.asString().getValue() : "";
    }

    /** Returns where logical collection {@code logical} of {@code tenant} is at {@code placement}, as {@link #scan} names it. */
    String location(Placement placement, TenantId tenant, String logical) {
        String cluster = real ? "real" : placement.store();
        if (placement.model() == IsolationModel.DATABASE) {
            return cluster + ":" + placement.namespace() + tenant.value() + "." + logical;
        }
        String collection = placement.model() == IsolationModel.COLLECTION ? tenant.value() + "." + logical : logical;
        return cluster + ":" + placement.namespace() + "." + collection;
    }

    /** Whether {@code location} (as {@link #scan} names it) is inside {@code tenant}'s part of {@code placement}. */
    boolean within(String location, Placement placement, TenantId tenant) {
        return location.startsWith(location(placement, tenant, ""));
    }

    /** Writes {@code data} (logical collection to documents) as {@code tenant}, through TenantMongo's routing handles. */
    static void write(TenantMongo mongo, TenantId tenant, Map<String, List<BsonDocument>> data) {
        TenantContext.runAs(tenant, () -> data.forEach((name, documents) -> {
            if (!documents.isEmpty()) {
                mongo.collection(name, BsonDocument.class).insertMany(documents);
            }
        }));
    }

    /**
     * Reads {@code names} as {@code tenant} through TenantMongo's routing handles: each collection's
     * documents in extended JSON without the FIELD model's tenant field, sorted; empty ones left out.
     */
    static Map<String, List<String>> read(TenantMongo mongo, TenantId tenant, Set<String> names) {
        return TenantContext.callAs(tenant, () -> {
            Map<String, List<String>> seen = new TreeMap<>();
            for (String name : names) {
                List<String> documents = new ArrayList<>();
                for (BsonDocument document : mongo.collection(name, BsonDocument.class).find()) {
                    document.remove(TenantMongo.DEFAULT_TENANT_FIELD);
                    documents.add(document.toJson(JSON));
                }
                documents.sort(null);
                if (!documents.isEmpty()) {
                    seen.put(name, documents);
                }
            }
            return seen;
        });
    }

    /** Returns {@code data} as {@link #read} would show it. */
    static Map<String, List<String>> expected(Map<String, List<BsonDocument>> data) {
        Map<String, List<String>> expected = new TreeMap<>();
        data.forEach((name, documents) -> {
            List<String> json = new ArrayList<>();
            documents.forEach(d -> json.add(d.toJson(JSON)));
            json.sort(null);
            if (!json.isEmpty()) {
                expected.put(name, json);
            }
        });
        return expected;
    }

    @Override
    public void close() {
        main.close();
        other.close();
        servers.forEach(MongoServer::shutdownNow);
    }
}
