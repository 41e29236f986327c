package io.tenantry.mongo.lifecycle;

import static io.tenantry.mongo.lifecycle.LifecycleServers.ACME;
import static io.tenantry.mongo.lifecycle.LifecycleServers.BRAVO;
import static io.tenantry.mongo.lifecycle.LifecycleServers.CAROL;
import static io.tenantry.mongo.lifecycle.LifecycleServers.PLACEMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.IsolationModel;
import io.tenantry.LifecycleOperation;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantLifecycle;
import io.tenantry.mongo.MongoLifecycleJournal;
import io.tenantry.mongo.MongoTenantDirectory;
import io.tenantry.mongo.TenantMongo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TenantLifecycle#delete} on each of the six placements: afterwards a raw scan of every database
 * and collection of both clusters finds no document, collection or database of the tenant, its directory
 * entry is gone, and the other tenants' raw data (one beside it, one on another placement, both with
 * documents that carry the deleted tenant's id as an ordinary field where their model allows it) is intact.
 */
class DeletionLeavesNoTraceTest {

    private static LifecycleServers servers;

    @BeforeAll
    static void start() {
        servers = new LifecycleServers();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    static List<Placement> placements() {
        return PLACEMENTS;
    }

    /**
     * Returns {@code data} with, off the FIELD model, a document that carries acme's id in the tenant field as
     * ordinary data, and on the FIELD model (where the field is the owner's) without such documents.
     */
    private static Map<String, List<BsonDocument>> carryingAcme(Map<String, List<BsonDocument>> data,
            Placement placement) {
        Map<String, List<BsonDocument>> adjusted = new LinkedHashMap<>();
        data.forEach((name, documents) -> adjusted.put(name, new ArrayList<>(documents)));
        if (placement.model() == IsolationModel.FIELD) {
            adjusted.values().forEach(documents -> documents.forEach(document -> document.remove("tenantId")));
        } else {
            adjusted.computeIfAbsent("cards", name -> new ArrayList<>())
                    .add(new BsonDocument("_id", new BsonString("carries-acme")).append("tenantId", new BsonString("acme")));
        }
        return adjusted;
    }

    @ParameterizedTest
    @MethodSource("placements")
    void deletionErasesTheTenantEverywhereAndNothingOfAnyoneElse(Placement placement) {
        servers.reset();
        Placement elsewhere = PLACEMENTS.get((PLACEMENTS.indexOf(placement) + 1) % PLACEMENTS.size());
        MongoTenantDirectory directory = MongoTenantDirectory.of(servers.control());
        directory.register(Tenant.builder(ACME).placement(placement).build());
        directory.register(Tenant.builder(BRAVO).placement(placement).build());
        directory.register(Tenant.builder(CAROL).placement(elsewhere).build());
        TenantMongo mongo = servers.mongo(directory);
        SplittableRandom random = new SplittableRandom(placement.hashCode());
        Map<String, List<BsonDocument>> acme = Shapes.data(random, 12, null);
        acme.computeIfAbsent("cards", name -> List.of(Shapes.document(random, Shapes.id(random, 0), false, null)));
        for (var tenant : LifecycleServers.TENANTS) {
            mongo.provisioning().ensure(tenant);
        }
        LifecycleServers.write(mongo, ACME, acme);
        LifecycleServers.write(mongo, BRAVO, carryingAcme(Shapes.data(random, 6, ACME.value()), placement));
        LifecycleServers.write(mongo, CAROL, carryingAcme(Shapes.data(random, 6, ACME.value()), elsewhere));
        Map<String, List<String>> before = servers.scan();
        assertThat(LifecycleServers.traces(before, ACME)).isNotEmpty();
        MongoLifecycleJournal journal = MongoLifecycleJournal.of(servers.control());

        TenantLifecycle.builder(directory, LifecycleServers.router()).store(mongo.dataStore()).journal(journal).build()
                .delete(ACME);

        Map<String, List<String>> after = servers.scan();
        assertThat(LifecycleServers.traces(after, ACME)).as("acme's traces").isEmpty();
        assertThat(after.keySet()).noneMatch(location -> location.contains("_acme.") || location.contains(".acme."));
        assertThat(after.values().stream().flatMap(List::stream))
                .noneMatch(json -> json.contains("\"tenantId\": \"acme\", \"id\"")); // a FIELD id of acme
        assertThat(LifecycleServers.dataOf(after, BRAVO)).isEqualTo(LifecycleServers.dataOf(before, BRAVO));
        assertThat(LifecycleServers.dataOf(after, CAROL)).isEqualTo(LifecycleServers.dataOf(before, CAROL));
        assertThat(directory.find(ACME)).isEmpty();
        assertThat(journal.all()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(LifecycleOperation.Kind.DELETE);
            assertThat(op.step()).isEqualTo(LifecycleOperation.Step.DONE);
        });
    }
}
