package io.tenantry.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.Quota;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantQuotas;
import io.tenantry.TenantRouter;
import io.tenantry.TenantUsage;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;

/**
 * A wire-protocol server with a {@link TenantMongo} enforcing an items quota on {@code cards} for the tenants of
 * every model, counted in a {@link MongoQuotaLedger} on the server's control database, and raw counts of the
 * store that go around Tenantry. Each test takes fresh tenants, so that tests share nothing.
 */
final class QuotaServers implements AutoCloseable {

    static final String FIELD_DB = "q_field";
    static final String SHARED_DB = "q_shared";
    static final String PREFIX = "q_";
    static final String CARDS = "cards";
    static final String KEY = "items:cards";

    private static final AtomicInteger TENANTS = new AtomicInteger();

    final TestClusters clusters;
    final TenantDirectory directory;
    final MongoQuotaLedger ledger;
    final TenantQuotas quotas;
    final TenantMongo mongo;
    final MongoCollection<Document> cards;

    /** Starts a server whose tenants may hold {@code limit} cards. */
    QuotaServers(long limit) {
        clusters = TestClusters.start("main");
        directory = TenantDirectory.inMemory();
        ledger = MongoQuotaLedger.of(clusters.client("main").getDatabase("q_control"));
        ledger.createIndexes();
        TenantQuotas.Builder builder = TenantQuotas.builder(directory, ledger);
        for (IsolationModel model : IsolationModel.values()) {
            builder.tier(tier(model), Quota.items(CARDS, limit));
        }
        quotas = builder.build();
        TenantRouter router = TenantRouter.builder()
                .tier(tier(IsolationModel.FIELD), Placement.field("main", FIELD_DB))
                .tier(tier(IsolationModel.COLLECTION), Placement.collection("main", SHARED_DB))
                .tier(tier(IsolationModel.DATABASE), Placement.database("main", PREFIX))
                .tier("unlimited", Placement.field("main", FIELD_DB))
                .build();
        mongo = clusters.addTo(TenantMongo.builder()).directory(directory).router(router).quotas(quotas)
                .collection(CARDS).collection("decks").build();
        cards = mongo.collection(CARDS);
    }

    private static String tier(IsolationModel model) {
        return model.name().toLowerCase(Locale.ROOT);
    }

    /** Registers and provisions a new tenant placed on {@code model}, under the cards quota. */
    TenantId fresh(IsolationModel model) {
        return register(model.name().substring(0, 1).toLowerCase(Locale.ROOT) + TENANTS.incrementAndGet(),
                tier(model));
    }

    /** Registers a new tenant on the FIELD model with no quota. */
    TenantId unlimited() {
        return register("u" + TENANTS.incrementAndGet(), "unlimited");
    }

    private TenantId register(String id, String tier) {
        TenantId tenant = TenantId.of(id);
        directory.register(Tenant.builder(tenant.value()).tier(tier).build());
        mongo.provisioning().ensure(tenant);
        return tenant;
    }

    /** Counts {@code tenant}'s cards in the store, around Tenantry. */
    long raw(TenantId tenant) {
        Placement placement = mongo.placement(tenant);
        var db = clusters.client("main").getDatabase(mongo.databaseName(tenant));
        return switch (placement.model()) {
            case FIELD -> db.getCollection(CARDS).countDocuments(Filters.eq(TenantMongo.DEFAULT_TENANT_FIELD,
                    tenant.value()));
            case COLLECTION -> db.getCollection(tenant.value() + "." + CARDS).countDocuments();
            case DATABASE -> db.getCollection(CARDS).countDocuments();
        };
    }

    /** Returns Tenantry's count of {@code tenant}'s cards, or -1 if it has none. */
    long counted(TenantId tenant) {
        return ledger.get(tenant, KEY).orElse(-1);
    }

    /** Reconciles {@code tenant}'s counts with a raw count of its cards. */
    void reconcile(TenantId tenant) {
        quotas.reconcile(tenant, () -> new TenantUsage(tenant, mongo.placement(tenant),
                Map.of(CARDS, new TenantUsage.Resource(raw(tenant), 0)), Instant.now()));
    }

    @Override
    public void close() {
        clusters.close();
    }
}
