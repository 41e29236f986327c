package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoCollection;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import io.tenantry.TenantStatus;
import io.tenantry.UnknownTenantException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tenant catalogue in a control-plane collection. */
class MongoTenantDirectoryTest extends ServerTestSupport {

    private MongoTenantDirectory directory;

    private static final Tenant ACME = Tenant.builder("acme").name("Acme Cards").tier("enterprise")
            .status(TenantStatus.READ_ONLY).placement(Placement.database("dedicated", "cv_")).region("eu")
            .attribute("plan", "gold").attribute("billing.contact", "ops@acme.test").attribute("$odd", "kept")
            .build();
    private static final Tenant BRAVO = Tenant.builder("bravo").tier("premium").build();

    @BeforeEach
    void directory() {
        directory = MongoTenantDirectory.of(servers.main.getDatabase("control"));
    }

    private MongoCollection<Document> stored() {
        return TwoServers.raw(servers.main, "control", "tenants");
    }

    @Test
    void registers_and_reads_back_every_field() {
        Instant before = Instant.now().minusMillis(1);
        Tenant registered = directory.register(ACME);
        assertThat(registered.version()).isEqualTo(1);
        assertThat(registered.createdAt()).isAfter(before).isEqualTo(registered.updatedAt());
        Tenant found = directory.find(ACME.id()).orElseThrow();
        assertThat(found).isEqualTo(registered);
        assertThat(found.name()).isEqualTo("Acme Cards");
        assertThat(found.status()).isEqualTo(TenantStatus.READ_ONLY);
        assertThat(found.placement()).contains(Placement.database("dedicated", "cv_"));
        assertThat(found.region()).contains("eu");
        assertThat(found.attributes()).containsEntry("billing.contact", "ops@acme.test").containsEntry("$odd", "kept")
                .hasSize(3);
        assertThat(found.createdAt()).isEqualTo(registered.createdAt());
        assertThat(found.updatedAt()).isEqualTo(registered.updatedAt());
        assertThat(directory.find(TenantId.of("nobody"))).isEmpty();
        assertThatThrownBy(() -> directory.require(TenantId.of("nobody"))).isInstanceOf(UnknownTenantException.class);

        Document raw = stored().find().first();
        assertThat(raw.getString("_id")).isEqualTo("acme");
        assertThat(raw.get("version")).isEqualTo(1L);
        assertThat(raw.get("placement", Document.class)).isEqualTo(new Document("model", "DATABASE")
                .append("store", "dedicated").append("namespace", "cv_"));
    }

    @Test
    void ids_are_unique() {
        directory.register(BRAVO);
        assertThatThrownBy(() -> directory.register(BRAVO.toBuilder().tier("free").build()))
                .isInstanceOf(TenantLifecycleException.class).hasMessageContaining("already registered");
        assertThat(directory.require(BRAVO.id()).tier()).isEqualTo("premium");
        assertThat(stored().countDocuments()).isEqualTo(1);
    }

    @Test
    void lists_every_tenant_in_id_order() {
        directory.register(BRAVO);
        directory.register(ACME);
        Tenant deleted = directory.register(Tenant.builder("carol").build());
        directory.update(deleted.toBuilder().status(TenantStatus.DELETED).build());
        assertThat(directory.list()).extracting(t -> t.id().value()).containsExactly("acme", "bravo", "carol");
        assertThat(directory.list().get(2).status()).isEqualTo(TenantStatus.DELETED);
    }

    @Test
    void updates_store_the_next_version_and_keep_the_creation_time() {
        Tenant registered = directory.register(ACME);
        directory.register(BRAVO);
        Tenant updated = directory.update(registered.toBuilder().tier("premium").placement(null).region(null)
                .status(TenantStatus.ACTIVE).attributes(java.util.Map.of("plan", "silver")).build());
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.createdAt()).isEqualTo(registered.createdAt());
        assertThat(updated.updatedAt()).isAfterOrEqualTo(registered.updatedAt());
        Tenant found = directory.require(ACME.id());
        assertThat(found).isEqualTo(updated);
        assertThat(found.placement()).isEmpty();
        assertThat(found.region()).isEmpty();
        assertThat(found.attributes()).containsEntry("plan", "silver");
        assertThat(directory.require(BRAVO.id()).version()).isEqualTo(1);
    }

    @Test
    void a_stale_version_loses_and_changes_nothing() {
        Tenant read = directory.register(BRAVO);
        directory.update(read.toBuilder().tier("enterprise").build());
        assertThatThrownBy(() -> directory.update(read.toBuilder().tier("free").build()))
                .isInstanceOf(TenantLifecycleException.class).hasMessageContaining("stored version 2, given 1");
        assertThat(directory.require(BRAVO.id()).tier()).isEqualTo("enterprise");
        assertThatThrownBy(() -> directory.update(Tenant.builder("nobody").version(1).build()))
                .isInstanceOf(UnknownTenantException.class);
    }

    @Test
    void of_concurrent_writers_of_one_version_exactly_one_wins() throws Exception {
        Tenant read = directory.register(BRAVO);
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String tier = "tier" + i;
                Callable<Boolean> write = () -> {
                    start.await();
                    try {
                        directory.update(read.toBuilder().tier(tier).build());
                        return true;
                    } catch (TenantLifecycleException e) {
                        return false;
                    }
                };
                results.add(pool.submit(write));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> result : results) {
                wins += result.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
            assertThat(directory.require(BRAVO.id()).version()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void routes_tenant_mongo_from_the_stored_catalogue() {
        directory.register(ACME.toBuilder().status(TenantStatus.ACTIVE).build());
        directory.register(BRAVO);
        TenantMongo mongo = servers.builder().directory(directory).build();
        TenantContext.runAs(ACME.id(), () -> mongo.collection("cards").insertOne(new Document("n", 1)));
        TenantContext.runAs(BRAVO.id(), () -> mongo.collection("cards").insertOne(new Document("n", 2)));
        assertThat(TwoServers.raw(servers.dedicated, "cv_acme", "cards").countDocuments()).isEqualTo(1);
        assertThat(TwoServers.raw(servers.main, "cardvault", "bravo.cards").countDocuments()).isEqualTo(1);
    }

    @Test
    void refuses_a_tenant_handle_as_its_database() {
        TenantMongo mongo = servers.builder().build();
        assertThatThrownBy(() -> MongoTenantDirectory.of(mongo.database()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control-plane");
    }
}
