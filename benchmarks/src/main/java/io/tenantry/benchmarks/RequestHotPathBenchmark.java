package io.tenantry.benchmarks;

import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRequest;
import io.tenantry.TenantResolver;
import io.tenantry.TenantRouter;
import io.tenantry.TenantScope;
import io.tenantry.TenantUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What Tenantry adds to every request before application code runs: resolve the tenant id from a
 * header through a resolver chain, look the tenant up in the cached directory and check its
 * status, route it to a placement, and bind and unbind the tenant context. {@link #wholeRequest}
 * measures the path end to end; the other benchmarks measure one step each.
 *
 * <p>The workload is 1,024 tenants, a third each on a free tier (one shared placement), a premium
 * tier spread over four buckets by rendezvous hashing, and an enterprise tier (a database per
 * tenant). Each invocation takes the next of 1,024 prebuilt requests, so lookups and routing see
 * every tenant rather than one hot entry. Run: {@code java -jar benchmarks/target/benchmarks.jar
 * RequestHotPath}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class RequestHotPathBenchmark {

    private static final int TENANTS = 1024;
    private static final String[] TIERS = {"free", "premium", "enterprise"};

    private TenantResolver resolver;
    private TenantDirectory directory;
    private TenantRouter router;
    private TenantRequest[] requests;
    private TenantId[] ids;
    private Tenant[] tenants;
    private Tenant[] premiumTenants;
    private int next;

    /** Builds the tenants, the cached directory (warmed with every tenant) and the router. */
    @Setup
    public void setUp() {
        List<Tenant> all = new ArrayList<>(TENANTS);
        List<Tenant> premium = new ArrayList<>();
        requests = new TenantRequest[TENANTS];
        ids = new TenantId[TENANTS];
        for (int i = 0; i < TENANTS; i++) {
            String id = "tenant-" + i;
            Tenant tenant = Tenant.builder(id).tier(TIERS[i % TIERS.length]).build();
            all.add(tenant);
            if (tenant.tier().equals("premium")) {
                premium.add(tenant);
            }
            ids[i] = tenant.id();
            requests[i] = TenantRequest.builder()
                    .host("app.cards.example")
                    .path("/api/cards/" + i)
                    .header("X-Tenant-Id", id)
                    .header("Authorization", "Bearer opaque")
                    .build();
        }
        tenants = all.toArray(new Tenant[0]);
        premiumTenants = premium.toArray(new Tenant[0]);
        resolver = TenantResolver.chain(
                TenantResolver.header("X-Tenant-Id"),
                TenantResolver.claim("tenant_id"),
                TenantResolver.pathSegment("/t"));
        directory = TenantDirectory.caching(TenantDirectory.inMemory(tenants)).build();
        for (TenantId id : ids) {
            directory.require(id);
        }
        router = TenantRouter.builder()
                .tier("free", Placement.field("main", "cardvault"))
                .tier("premium",
                        Placement.collection("premium", "cardvault_p1"),
                        Placement.collection("premium", "cardvault_p2"),
                        Placement.collection("premium", "cardvault_p3"),
                        Placement.collection("premium", "cardvault_p4"))
                .tier("enterprise", Placement.database("dedicated", "cv_"))
                .build();
    }

    private int nextIndex() {
        int index = next;
        next = (index + 1) & (TENANTS - 1);
        return index;
    }

    /** The whole path: resolve, look up and check, route, bind; the application would run inside the scope. */
    @Benchmark
    public void wholeRequest(Blackhole blackhole) {
        TenantId id = resolver.resolve(requests[nextIndex()]).orThrow();
        Tenant tenant = directory.require(id);
        TenantUnavailableException.check(tenant, true);
        Placement placement = router.route(tenant);
        TenantScope scope = TenantContext.open(id);
        try {
            blackhole.consume(TenantContext.current());
            blackhole.consume(placement);
        } finally {
            scope.close();
        }
    }

    /** Step 1: the resolver chain reads the header (the claim and path resolvers find nothing). */
    @Benchmark
    public TenantId resolve() {
        return resolver.resolve(requests[nextIndex()]).orThrow();
    }

    /** Step 2: a cached directory lookup of a warmed entry, and the status check. */
    @Benchmark
    public Tenant lookUp() {
        Tenant tenant = directory.require(ids[nextIndex()]);
        TenantUnavailableException.check(tenant, true);
        return tenant;
    }

    /** Step 3: routing over the mixed tiers. */
    @Benchmark
    public Placement route() {
        return router.route(tenants[nextIndex()]);
    }

    /** Step 3, the dearest case: a premium tenant, whose placement is chosen among four buckets. */
    @Benchmark
    public Placement routeFourBuckets() {
        return router.route(premiumTenants[nextIndex() % premiumTenants.length]);
    }

    /** Step 4: bind the tenant to the thread (and the MDC), then restore the previous binding. */
    @Benchmark
    public void bindAndUnbind(Blackhole blackhole) {
        TenantScope scope = TenantContext.open(ids[nextIndex()]);
        try {
            blackhole.consume(TenantContext.current());
        } finally {
            scope.close();
        }
    }
}
