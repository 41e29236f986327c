package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.tenantry.AuditEvent;
import io.tenantry.AuditEvent.Kind;
import io.tenantry.AuditQuery;
import io.tenantry.TenantId;
import io.tenantry.spi.AuditLog;
import io.tenantry.tck.AuditLogContract;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The audit trail in a control-plane collection, over a real driver and socket. */
class MongoAuditLogTest {

    private static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");
    private static final AtomicInteger COLLECTIONS = new AtomicInteger();

    private static TestClusters clusters;
    private static MongoDatabase control;

    @BeforeAll
    static void start() {
        clusters = TestClusters.start("main");
        control = clusters.client("main").getDatabase("control");
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    private static String freshCollection() {
        String name = "audit_" + COLLECTIONS.incrementAndGet();
        MongoAuditLog.of(control, name).createIndexes();
        return name;
    }

    @Nested
    @DisplayName("the audit log contract, a collection per test")
    class Contract extends AuditLogContract {
        @Override
        protected AuditLog emptyLog() {
            return MongoAuditLog.of(control, freshCollection());
        }
    }

    @Test
    @DisplayName("an event is one document: a system event has no tenant field; the indexes serve both queries")
    void storedForm() {
        String name = freshCollection();
        MongoAuditLog log = MongoAuditLog.of(control, name);
        log.createIndexes();
        log.record(new AuditEvent(Kind.SYSTEM_SCOPE_OPENED, null, "nightly report", "scheduler-1",
                T0.plusMillis(5)));
        log.record(new AuditEvent(Kind.TENANT_CREATED, TenantId.of("acme"), "created", "main",
                T0.plusMillis(6)));
        List<Document> stored = control.getCollection(name).find().sort(new Document("at", 1)).into(new ArrayList<>());
        assertThat(stored.get(0)).containsOnlyKeys("_id", "at", "kind", "detail", "thread")
                .containsEntry("kind", "SYSTEM_SCOPE_OPENED").containsEntry("thread", "scheduler-1");
        assertThat(stored.get(1)).containsEntry("tenant", "acme").containsEntry("detail", "created");
        assertThat(control.getCollection(name).listIndexes().into(new ArrayList<>()))
                .extracting(index -> index.getString("name") + " " + index.get("key", Document.class).toJson())
                .contains("at {\"at\": -1, \"_id\": -1}", "tenant_at {\"tenant\": 1, \"at\": -1, \"_id\": -1}");
        assertThat(log).hasToString("MongoAuditLog(control." + name + ")");
    }

    @Test
    @DisplayName("recording never throws when the cluster is down or the client closed: the event goes to the log at WARN")
    void recordNeverThrows() {
        MongoServer server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + address.getPort()))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(300, TimeUnit.MILLISECONDS)).build());
        MongoAuditLog log = MongoAuditLog.of(client.getDatabase("control"));
        log.createIndexes();
        log.record(new AuditEvent(Kind.TENANT_CREATED, TenantId.of("acme"), "stored while up"));
        assertThat(log.find(AuditQuery.all())).hasSize(1);

        server.shutdownNow();
        String warned = stderrOf(() -> assertThatCode(() -> log.record(new AuditEvent(Kind.TENANT_DELETED,
                TenantId.of("acme"), "erased at FIELD:main:app and removed"))).doesNotThrowAnyException());
        assertThat(warned).contains("WARN").contains("io.tenantry.audit").contains("NOT STORED").contains("control.tenant_audit")
                .contains("TENANT_DELETED tenant=acme detail=\"erased at FIELD:main:app and removed\"");
        assertThatThrownBy(() -> log.find(AuditQuery.all())).isInstanceOf(MongoException.class);

        client.close();
        warned = stderrOf(() -> assertThatCode(() -> log.record(new AuditEvent(Kind.SYSTEM_SCOPE_OPENED, null,
                "nightly report"))).doesNotThrowAnyException());
        assertThat(warned).contains("NOT STORED").contains("SYSTEM_SCOPE_OPENED detail=\"nightly report\"");
    }

    @Test
    @DisplayName("a document this version cannot read is reported with its id, not skipped")
    void aMalformedDocumentIsReported() {
        String name = freshCollection();
        control.getCollection(name).insertOne(new Document("_id", "odd").append("at", new Date())
                .append("kind", "TENANT_TELEPORTED").append("detail", "").append("thread", "x"));
        assertThatThrownBy(() -> MongoAuditLog.of(control, name).find(AuditQuery.all()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Document odd of control." + name)
                .hasMessageContaining("TENANT_TELEPORTED");
    }

    @Test
    @DisplayName("refuses Tenantry handles, unacknowledged writes and invalid names")
    void refusals() {
        TwoServers servers = new TwoServers();
        try {
            TenantMongo mongo = servers.builder().build();
            assertThatThrownBy(() -> MongoAuditLog.of(mongo.database())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("control-plane");
        } finally {
            servers.close();
        }
        assertThatThrownBy(() -> MongoAuditLog.of(control.withWriteConcern(WriteConcern.UNACKNOWLEDGED)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unacknowledged");
        assertThatThrownBy(() -> MongoAuditLog.of(control, "a$b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MongoAuditLog.of(control, "system.audit")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Returns what {@code action} wrote to standard error, where slf4j-simple logs (it looks System.err up each time). */
    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }
}
