package io.tenantry.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** What each tenant must observe: one sorted map of entries per tenant, changed only by its own steps. */
final class StoreModel {

    private final Map<TenantId, NavigableMap<String, String>> entries = new HashMap<>();

    /** Applies {@code step} to its tenant's entries and returns what the store must have returned. */
    @Nullable Object apply(Step step) {
        return step.expect(entries(step.tenant()));
    }

    /** Adds {@code more} to {@code tenant}'s entries (merges what concurrent tasks of one tenant wrote). */
    void putAll(TenantId tenant, Map<String, String> more) {
        entries(tenant).putAll(more);
    }

    NavigableMap<String, String> entries(TenantId tenant) {
        return entries.computeIfAbsent(tenant, t -> new TreeMap<>());
    }

    /**
     * Checks that every tenant's count and full listing in {@code store} match the model, each
     * observed with that tenant bound.
     */
    void verify(TenantScopedStore store, List<TenantId> tenants, String when) {
        for (TenantId tenant : tenants) {
            NavigableMap<String, String> expected = entries(tenant);
            long count = TenantContext.callAs(tenant, store::count);
            assertThat(count).as("count() of tenant %s %s", tenant, when).isEqualTo(expected.size());
            List<String> all = TenantContext.callAs(tenant, () -> store.query(""));
            assertThat(all).as("query(\"\") of tenant %s %s", tenant, when)
                    .isEqualTo(expected.values().stream().sorted().toList());
        }
    }

    /** Checks every key of every tenant's model, and reads the others' keys as absent where the model says so. */
    void verifyReads(TenantScopedStore store, List<TenantId> tenants, Iterable<String> keys, String when) {
        for (TenantId tenant : tenants) {
            for (String key : keys) {
                Optional<String> read = TenantContext.callAs(tenant, () -> store.read(key));
                assertThat(read).as("read(\"%s\") of tenant %s %s", key, tenant, when)
                        .isEqualTo(Optional.ofNullable(entries(tenant).get(key)));
            }
        }
    }
}
