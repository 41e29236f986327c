package io.tenantry.examples.plain;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.tenantry.IsolationViolationException;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantAdmission;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantRequest;
import io.tenantry.TenantResolutionException;
import io.tenantry.TenantResolver;
import io.tenantry.TenantRouter;
import io.tenantry.TenantScope;
import io.tenantry.TenantUnavailableException;
import io.tenantry.UnknownTenantException;
import io.tenantry.mongo.TenantMongo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.json.JsonParseException;
import org.bson.types.ObjectId;

/**
 * Tenantry without a framework: six tenants in three tiers on two MongoDB clusters, and a card API
 * on the JDK's HTTP server. Each request names its tenant in the {@code X-Tenant-Id} header;
 * everything the handlers do with the one {@code cards} collection happens in that tenant's vault.
 *
 * <pre>GET /cards, POST /cards, GET|PUT|DELETE /cards/{id}</pre>
 */
public final class CardServer implements AutoCloseable {

    private final List<MongoServer> mongoServers = new ArrayList<>();
    private final List<MongoClient> clients = new ArrayList<>();
    private final MongoCollection<Document> cards;
    private final TenantAdmission admission;
    private final HttpServer http;

    public static void main(String[] args) throws IOException {
        String port = args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8081");
        CardServer server = new CardServer(Integer.parseInt(port));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Card server listening on http://localhost:" + server.port());
    }

    /** Starts the server on {@code port} (0 picks a free one). */
    public CardServer(int port) throws IOException {
        TenantDirectory directory = TenantDirectory.caching(TenantDirectory.inMemory(
                Tenant.builder("pallet-town").tier("free").build(), Tenant.builder("cerulean").tier("free").build(),
                Tenant.builder("saffron").tier("premium").build(), Tenant.builder("celadon").tier("premium").build(),
                Tenant.builder("indigo").tier("enterprise").build(),
                Tenant.builder("viridian").tier("enterprise").build())).build();
        TenantRouter router = TenantRouter.builder()
                .tier("free", Placement.field("main", "cardvault"))                  // shared collection
                .tier("premium", Placement.collection("main", "cardvault_premium"))  // a collection per tenant
                .tier("enterprise", Placement.database("dedicated", "cv_"))          // a database per tenant
                .build();
        TenantMongo mongo = TenantMongo.builder()
                .cluster("main", startMongo()).cluster("dedicated", startMongo())
                .directory(directory).router(router).collection("cards")
                .build();
        directory.list().forEach(tenant -> mongo.provisioning().ensure(tenant.id()));
        this.cards = mongo.collection("cards");   // one handle for every tenant: it routes per call
        this.admission = TenantAdmission.of(TenantResolver.header("X-Tenant-Id"), directory);
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        http.createContext("/cards", this::handle);
        http.start();
    }

    /** An in-process MongoDB; with a real one this is just {@code MongoClients.create(uri)}. */
    private MongoClient startMongo() {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        mongoServers.add(server);
        MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        clients.add(client);
        return client;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String[] path = exchange.getRequestURI().getPath().split("/");   // "", "cards", id
        TenantRequest.Builder request = TenantRequest.builder().path(exchange.getRequestURI().getPath());
        exchange.getRequestHeaders().forEach((name, values) -> request.header(name, values.get(0)));
        Reply reply;
        try (TenantScope scope = admission.open(request.build(), !method.equals("GET"))) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            reply = path.length == 2 ? onCards(method, body) : onCard(method, path[2], body);
        } catch (TenantResolutionException | JsonParseException e) {
            reply = new Reply(400, error(e.getMessage()));
        } catch (UnknownTenantException e) {
            reply = new Reply(404, error(e.getMessage()));
        } catch (TenantUnavailableException | IsolationViolationException e) {
            reply = new Reply(403, error(e.getMessage()));   // a suspended tenant, or a write into another vault
        }
        byte[] bytes = reply.json == null ? new byte[0] : reply.json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private Reply onCards(String method, String body) {
        switch (method) {
            case "GET":
                return new Reply(200, "[" + String.join(",", cards.find().map(CardServer::json).into(new ArrayList<>())) + "]");
            case "POST":
                Document card = card(body);
                cards.insertOne(card);   // on the free tier, Tenantry stamps the tenant on the stored document
                return new Reply(201, json(cards.find(Filters.eq("_id", card.get("_id"))).first()));
            default:
                return new Reply(405, error("Use GET or POST on /cards."));
        }
    }

    private Reply onCard(String method, String id, String body) {
        Bson byId = Filters.eq("_id", ObjectId.isValid(id) ? new ObjectId(id) : id);
        switch (method) {
            case "GET":
                break;
            case "PUT":
                cards.replaceOne(byId, card(body));
                break;
            case "DELETE":
                if (cards.deleteOne(byId).getDeletedCount() > 0) {
                    return new Reply(204, null);
                }
                break;
            default:
                return new Reply(405, error("Use GET, PUT or DELETE on /cards/{id}."));
        }
        Document card = cards.find(byId).first();   // another tenant's card is simply not found here
        return card == null ? new Reply(404, error("No card " + id + " in this vault.")) : new Reply(200, json(card));
    }

    private static Document card(String json) {
        Document card = Document.parse(json);
        card.remove("_id");   // the server picks ids
        return card;
    }

    private static String json(Document card) {
        Document out = new Document("id", card.get("_id").toString());
        out.putAll(card);
        out.remove("_id");
        return out.toJson();
    }

    private static String error(String message) {
        return new Document("error", message).toJson();
    }

    private record Reply(int status, String json) {
    }

    @Override
    public void close() {
        http.stop(0);
        clients.forEach(MongoClient::close);
        mongoServers.forEach(MongoServer::shutdownNow);
    }
}
