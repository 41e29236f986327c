package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.FindIterable;
import io.tenantry.IsolationViolationException;
import io.tenantry.NoTenantBoundException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantUnavailableException;
import io.tenantry.UnknownTenantException;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Escape attempts around the tenant context itself: calls with no tenant, with a made-up or forged
 * id, with a suspended or read-only tenant, and lazy results carried from one tenant to another.
 * Nothing reaches the server in the refused cases.
 */
class ContextEscapeAttemptsTest {

    private static AdversarialFixture fixture;

    @BeforeAll
    static void stage() {
        fixture = new AdversarialFixture();
    }

    @AfterAll
    static void strike() {
        fixture.close();
    }

    @AfterEach
    void victimsAreUntouched() {
        fixture.assertVictimsUntouched();
    }

    @Test
    void callsWithoutATenantFailClosedAndSendNothing() {
        fixture.capture.drain();
        assertThatThrownBy(() -> fixture.mongo.collection("cards").find().first())
                .isInstanceOf(NoTenantBoundException.class);
        assertThatThrownBy(() -> fixture.mongo.collection("cards").insertOne(new Document()))
                .isInstanceOf(NoTenantBoundException.class);
        assertThatThrownBy(() -> fixture.mongo.database().listCollectionNames().first())
                .isInstanceOf(NoTenantBoundException.class);
        assertThat(fixture.capture.drain()).isEmpty();
    }

    @Test
    void aSystemScopeIsNotATenant() {
        try (var scope = TenantContext.openSystem("adversarial test")) {
            assertThatThrownBy(() -> fixture.mongo.collection("cards").find().first())
                    .isInstanceOf(NoTenantBoundException.class);
        }
    }

    @Test
    void forgedIdsCannotEvenBeBound() {
        for (String forged : List.of("victim-f\u0000", "victim-f/../victim-d", "Victim-F", "victim-f.cards",
                "victim-f$", "admin", "vіctim-f")) {
            assertThatThrownBy(() -> TenantId.of(forged)).as(forged).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void unknownTenantsReachNothing() {
        fixture.capture.drain();
        TenantContext.runAs(TenantId.of("nobody"), () -> assertThatThrownBy(() -> fixture.mongo.collection("cards")
                .find().first()).isInstanceOf(UnknownTenantException.class));
        assertThat(fixture.capture.drain()).isEmpty();
    }

    @Test
    void suspendedTenantsCanNeitherReadNorWrite() {
        TenantContext.runAs(TenantId.of("frozen"), () -> {
            assertThatThrownBy(() -> fixture.mongo.collection("cards").find().first())
                    .isInstanceOf(TenantUnavailableException.class);
            assertThatThrownBy(() -> fixture.mongo.collection("cards").insertOne(new Document()))
                    .isInstanceOf(TenantUnavailableException.class);
        });
    }

    @Test
    void readOnlyTenantsCanReadButNotWrite() {
        TenantContext.runAs(TenantId.of("moving"), () -> {
            assertThat(fixture.mongo.collection("cards").find().into(new ArrayList<>())).isEmpty();
            assertThatThrownBy(() -> fixture.mongo.collection("cards").insertOne(new Document()))
                    .isInstanceOf(TenantUnavailableException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> fixture.mongo.collection("cards").aggregate(List.of(new Document("$merge", "cards")))
                    .toCollection()).isInstanceOf(TenantUnavailableException.class);
        });
    }

    @Test
    void anIterableCreatedForOneTenantCannotBeRunByAnother() {
        for (String model : List.of("f", "c", "d")) {
            FindIterable<Document> kept = TenantContext.callAs(TenantId.of("mallory-" + model),
                    () -> fixture.mongo.collection("cards").find());
            TenantContext.runAs(TenantId.of("victim-" + model), () -> assertThatThrownBy(() -> kept.first())
                    .isInstanceOf(IsolationViolationException.class).hasMessageContaining("mallory-" + model));
            assertThatThrownBy(kept::first).isInstanceOf(IsolationViolationException.class);
        }
    }

    @Test
    void workHandedToAnotherThreadWithoutTheContextFailsClosed() throws Exception {
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var unwrapped = TenantContext.callAs(TenantId.of("mallory-f"),
                    () -> pool.submit(() -> fixture.mongo.collection("cards").countDocuments()));
            assertThatThrownBy(unwrapped::get).hasCauseInstanceOf(NoTenantBoundException.class);
            var wrapped = TenantContext.callAs(TenantId.of("mallory-f"),
                    () -> TenantContext.propagating(pool).submit(() -> fixture.mongo.collection("cards").countDocuments()));
            assertThat(wrapped.get()).isOne();
        } finally {
            pool.shutdownNow();
        }
    }
}
