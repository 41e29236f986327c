package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.event.ConnectionCheckedInEvent;
import com.mongodb.event.ConnectionCheckedOutEvent;
import com.mongodb.event.ConnectionClosedEvent;
import com.mongodb.event.ConnectionCreatedEvent;
import com.mongodb.event.ConnectionPoolListener;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * 10,000 tenants, each with its own database on one cluster, used concurrently: the cluster's one
 * connection pool is shared by all of them, so open connections never exceed the pool maximum.
 */
class DatabasePerTenantScaleTest {

    private static final int TENANTS = 10_000;
    private static final int POOL_MAXIMUM = 4;

    @Test
    void openConnectionsNeverExceedThePoolMaximum() throws Exception {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        AtomicInteger checkedOut = new AtomicInteger();
        AtomicInteger maxCheckedOut = new AtomicInteger();
        ConnectionPoolListener counter = new ConnectionPoolListener() {
            @Override
            public void connectionCreated(ConnectionCreatedEvent event) {
                maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            }

            @Override
            public void connectionClosed(ConnectionClosedEvent event) {
                open.decrementAndGet();
            }

            @Override
            public void connectionCheckedOut(ConnectionCheckedOutEvent event) {
                maxCheckedOut.accumulateAndGet(checkedOut.incrementAndGet(), Math::max);
            }

            @Override
            public void connectionCheckedIn(ConnectionCheckedInEvent event) {
                checkedOut.decrementAndGet();
            }
        };
        List<Tenant> tenants = new ArrayList<>();
        for (int i = 0; i < TENANTS; i++) {
            tenants.add(Tenant.builder("t" + i).tier("enterprise").build());
        }
        try (TestClusters clusters = TestClusters.start(s -> s.applyToConnectionPoolSettings(
                p -> p.maxSize(POOL_MAXIMUM).addConnectionPoolListener(counter)), "main")) {
            TenantMongo mongo = clusters.addTo(TenantMongo.builder())
                    .directory(TenantDirectory.inMemory(tenants.toArray(new Tenant[0])))
                    .router(TenantRouter.builder().tier("enterprise", Placement.database("main", "scale_")).build())
                    .handleCacheSize(1_000)
                    .build();
            var cards = mongo.collection("cards");
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int i = 0; i < TENANTS; i++) {
                    TenantId tenant = TenantId.of("t" + i);
                    runs.add(pool.submit(() -> TenantContext.runAs(tenant, () -> {
                        cards.insertOne(new Document("owner", tenant.value()));
                        assertThat(cards.countDocuments()).isEqualTo(1);
                    })));
                }
                for (Future<?> run : runs) {
                    run.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(clusters.client("main").listDatabaseNames().into(new ArrayList<>()))
                    .filteredOn(name -> name.startsWith("scale_")).hasSize(TENANTS);
        }
        assertThat(maxCheckedOut.get()).as("connections in use at once").isBetween(1, POOL_MAXIMUM);
        assertThat(maxOpen.get()).as("connections open at once").isBetween(1, POOL_MAXIMUM);
    }
}
