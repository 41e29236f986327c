package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Starts {@link TwoServers} once per test class and empties them before each test. */
abstract class ServerTestSupport {

    static TwoServers servers;
    private static List<BsonDocument> during = List.of();

    @BeforeAll
    static void startServers() {
        servers = new TwoServers();
    }

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @BeforeEach
    void emptyServers() {
        servers.reset();
    }

    static <T> T as(TenantId tenant, TenantContext.ThrowingSupplier<T, RuntimeException> body) {
        return TenantContext.callAs(tenant, body);
    }

    static void as(TenantId tenant, TenantContext.ThrowingRunnable<RuntimeException> body) {
        TenantContext.runAs(tenant, body);
    }

    /**
     * Runs {@code operation} and asserts that no data outside the namespaces {@code owned} accepts
     * (as "server:db.collection") changed.
     */
    static void othersUnchanged(Predicate<String> owned, Runnable operation) {
        Map<String, List<Document>> before = servers.everything(owned.negate());
        servers.clearCommands();
        operation.run();
        during = new ArrayList<>(servers.mainCommands);
        during.addAll(servers.dedicatedCommands);
        assertThat(servers.everything(owned.negate())).isEqualTo(before);
    }

    /** Returns the commands sent by the last operation given to {@link #othersUnchanged}. */
    static List<BsonDocument> during() {
        return during;
    }

    /** Asserts that every data command recorded on {@code commands} named a collection {@code inside} accepts. */
    static void onlyTouched(List<BsonDocument> commands, Predicate<String> inside) {
        for (BsonDocument command : TwoServers.dataCommands(commands)) {
            String key = command.getFirstKey();
            if (command.get(key).isString()) {
                assertThat(command.getString(key).getValue()).as("target of %s", command.toJson()).matches(inside);
            }
        }
    }
}
