package io.tenantry.mongo.lifecycle;

import static io.tenantry.mongo.lifecycle.LifecycleServers.ACME;
import static io.tenantry.mongo.lifecycle.LifecycleServers.BRAVO;
import static io.tenantry.mongo.lifecycle.LifecycleServers.CAROL;
import static io.tenantry.mongo.lifecycle.LifecycleServers.PLACEMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantId;
import io.tenantry.TenantMetering;
import io.tenantry.TenantUsage;
import io.tenantry.mongo.MongoTenantDirectory;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.tck.Trials;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metering on real wire-protocol servers: for random document shapes at each of six placements (three
 * models on two clusters, tenants sharing collections and databases with others), the documents and bytes
 * {@link TenantMetering} reports per collection equal an independent raw count: every stored document of
 * the tenant, found by scanning the physical collections directly, and its BSON size as stored.
 */
class MongoMeteringTest {

    private static LifecycleServers servers;

    @BeforeAll
    static void start() {
        servers = new LifecycleServers();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    record Sample(Map<String, List<BsonDocument>> acme, Map<String, List<BsonDocument>> bravo, Placement acmeAt,
            Placement bravoAt) {
    }

    @Test
    void meteringEqualsARawCountAndSizeOnEveryModel() {
        Trials.forAll("metering equals a raw count and size", 24, (SplittableRandom random) -> new Sample(
                Shapes.data(random, 8, null), Shapes.data(random, 8, null), PLACEMENTS.get(random.nextInt(6)),
                PLACEMENTS.get(random.nextInt(6))), s -> {
                    servers.reset();
                    MongoTenantDirectory directory = MongoTenantDirectory.of(servers.control());
                    directory.register(Tenant.builder(ACME).placement(s.acmeAt()).build());
                    directory.register(Tenant.builder(BRAVO).placement(s.bravoAt()).build());
                    directory.register(Tenant.builder(CAROL).placement(s.acmeAt()).build());
                    TenantMongo mongo = servers.mongo(directory);
                    for (TenantId tenant : LifecycleServers.TENANTS) {
                        mongo.provisioning().ensure(tenant);
                    }
                    LifecycleServers.write(mongo, ACME, s.acme());
                    LifecycleServers.write(mongo, BRAVO, s.bravo());
                    LifecycleServers.write(mongo, CAROL, s.bravo());
                    TenantMetering metering = TenantMetering.builder(directory, LifecycleServers.router())
                            .meter(mongo.meter()).build();

                    for (TenantId tenant : List.of(ACME, BRAVO)) {
                        TenantUsage usage = metering.usage(tenant);
                        Placement at = tenant.equals(ACME) ? s.acmeAt() : s.bravoAt();
                        assertThat(usage.placement()).isEqualTo(at);
                        Map<String, TenantUsage.Resource> measured = new TreeMap<>(usage.resources());
                        measured.values().removeIf(r -> r.items() == 0);
                        assertThat(measured).as("%s at %s", tenant, at).isEqualTo(raw(tenant, at));
                    }
                    Map<TenantId, TenantUsage> all = metering.usageOfAll(2);
                    assertThat(all).containsOnlyKeys(ACME, BRAVO, CAROL);
                    assertThat(all.get(CAROL).totalItems()).isEqualTo(all.get(BRAVO).totalItems());
                });
    }

    /** Scans the tenant's physical collections raw: its documents and their stored BSON bytes, per collection. */
    private static Map<String, TenantUsage.Resource> raw(TenantId tenant, Placement placement) {
        MongoClient client = placement.store().equals("main") ? servers.main : servers.other;
        Map<String, TenantUsage.Resource> found = new TreeMap<>();
        for (String logical : Shapes.NAMES) {
            String location = servers.location(placement, tenant, logical);
            String namespace = location.substring(location.indexOf(':') + 1);
            String database = namespace.substring(0, namespace.indexOf('.'));
            String collection = namespace.substring(database.length() + 1);
            long count = 0;
            long bytes = 0;
            for (RawBsonDocument document : client.getDatabase(database).getCollection(collection, RawBsonDocument.class)
                    .find()) {
                boolean mine = placement.model() != IsolationModel.FIELD
                        || document.containsKey("tenantId") && document.getString("tenantId").getValue()
                                .equals(tenant.value());
                if (mine) {
                    count++;
                    bytes += document.getByteBuffer().remaining();
                }
            }
            if (count > 0) {
                found.put(logical, new TenantUsage.Resource(count, bytes));
            }
        }
        return found;
    }
}
