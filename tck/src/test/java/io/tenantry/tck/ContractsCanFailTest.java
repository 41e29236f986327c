package io.tenantry.tck;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A kit that cannot fail proves nothing: each test here runs a contract against a stack with a
 * classic multi-tenancy bug and expects the contract to catch it.
 */
class ContractsCanFailTest {

    @Test
    @DisplayName("the isolation contract catches a store that reads other tenants' entries")
    void catchesReadsAcrossTenants() {
        IsolationContract contract = new Contract(new ReadsAcrossTenants());
        assertThatThrownBy(contract::eachTenantObservesExactlyWhatItWrote)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("rerun with -Dtenantry.tck.seed=")
                .hasMessageContaining("read(");
        assertThatThrownBy(contract::sameKeyHoldsOneValuePerTenant)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("second tenant's read after its delete");
    }

    @Test
    @DisplayName("the isolation contract catches tenant and key glued together without a separator")
    void catchesCompositeKeysWithoutSeparator() {
        IsolationContract contract = new Contract(new GluedKeys());
        assertThatThrownBy(contract::eachTenantObservesExactlyWhatItWrote)
                .isInstanceOf(AssertionError.class)
                .hasMessageMatching("(?s).*shrunk from \\d+ to [1-3] steps?:.*acme.*");
    }

    @Test
    @DisplayName("the isolation contract catches a store that falls back to a default tenant")
    void catchesFallbackToADefaultTenant() {
        IsolationContract contract = new Contract(new FallsBackToDefaultTenant());
        assertThatThrownBy(contract::operationsWithoutATenantFailClosed)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("must throw NoTenantBoundException");
    }

    @Test
    @DisplayName("the context contract catches an executor that does not carry the tenant over")
    void catchesAnExecutorThatDoesNotPropagate() {
        ContextContract contract = new PooledContext() {
            @Override
            protected ExecutorService propagating(ExecutorService executor) {
                return executor;
            }
        };
        assertThatThrownBy(contract::tasksRunForTheTenantOfTheirSubmitter)
                .isInstanceOf(AssertionError.class)
                .hasMessageMatching("(?s).*\\[(tenant|system scope) seen by task \\d+, submitted by .*");
    }

    @Test
    @DisplayName("the context contract catches a hand-over that leaves the tenant bound on the pooled thread")
    void catchesATenantLeftOnAPooledThread() {
        ContextContract contract = new PooledContext() {
            @Override
            protected ExecutorService propagating(ExecutorService executor) {
                return new LeavesTenantBehind(executor);
            }
        };
        assertThatThrownBy(contract::pooledThreadsCarryNoTenantAfterwards)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("tenant on pooled thread");
    }

    private static final class Contract extends IsolationContract {
        private final TenantScopedStore store;

        Contract(TenantScopedStore store) {
            this.store = store;
        }

        @Override
        protected TenantScopedStore store() {
            return store;
        }
    }

    private static class PooledContext extends ContextContract {
        @Override
        protected ExecutorService executor() {
            return Executors.newFixedThreadPool(3);
        }
    }

    /** Writes per tenant, but a read that misses falls through to whichever tenant has the key. */
    private static final class ReadsAcrossTenants extends PerTenantStore {
        @Override
        public Optional<String> read(String key) {
            Optional<String> own = super.read(key);
            return own.isPresent() ? own
                    : tenants.values().stream().map(entries -> entries.get(key)).filter(v -> v != null).findFirst();
        }
    }

    /** Falls back to a default tenant when none is bound: the bug the fail-closed rule exists for. */
    private static final class FallsBackToDefaultTenant extends PerTenantStore {
        @Override
        TenantId tenant() {
            return TenantContext.find().orElse(TenantId.of("default"));
        }
    }

    /** One map for all tenants, keyed by tenant id + key with no separator between them. */
    private static final class GluedKeys implements TenantScopedStore {
        private final Map<String, String> entries = new ConcurrentHashMap<>();

        private static String tenant() {
            return TenantContext.current().value();
        }

        @Override
        public void write(String key, String value) {
            entries.put(tenant() + key, value);
        }

        @Override
        public Optional<String> read(String key) {
            return Optional.ofNullable(entries.get(tenant() + key));
        }

        @Override
        public List<String> query(String valuePrefix) {
            String tenant = tenant();
            List<String> values = new ArrayList<>();
            entries.forEach((key, value) -> {
                if (key.startsWith(tenant) && value.startsWith(valuePrefix)) {
                    values.add(value);
                }
            });
            values.sort(null);
            return values;
        }

        @Override
        public long count() {
            String tenant = tenant();
            return entries.keySet().stream().filter(key -> key.startsWith(tenant)).count();
        }

        @Override
        public boolean delete(String key) {
            return entries.remove(tenant() + key) != null;
        }

        @Override
        public void clear() {
            String tenant = tenant();
            entries.keySet().removeIf(key -> key.startsWith(tenant));
        }
    }

    /** A correct store, for the broken ones to bend in one place. */
    private static class PerTenantStore implements TenantScopedStore {
        final Map<TenantId, Map<String, String>> tenants = new ConcurrentHashMap<>();

        TenantId tenant() {
            return TenantContext.current();
        }

        private Map<String, String> entries() {
            return tenants.computeIfAbsent(tenant(), t -> new ConcurrentHashMap<>());
        }

        @Override
        public void write(String key, String value) {
            entries().put(key, value);
        }

        @Override
        public Optional<String> read(String key) {
            return Optional.ofNullable(entries().get(key));
        }

        @Override
        public List<String> query(String valuePrefix) {
            return entries().values().stream().filter(v -> v.startsWith(valuePrefix)).sorted().toList();
        }

        @Override
        public long count() {
            return entries().size();
        }

        @Override
        public boolean delete(String key) {
            return entries().remove(key) != null;
        }

        @Override
        public void clear() {
            entries().clear();
        }
    }

    /** Binds the submitter's tenant on the worker thread and never unbinds it. */
    private static final class LeavesTenantBehind extends AbstractExecutorService {
        private final ExecutorService delegate;

        LeavesTenantBehind(ExecutorService delegate) {
            this.delegate = delegate;
        }

        @Override
        public void execute(Runnable task) {
            @Nullable TenantId tenant = TenantContext.find().orElse(null);
            delegate.execute(() -> {
                if (tenant != null) {
                    TenantContext.open(tenant);
                }
                task.run();
            });
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }
    }
}
