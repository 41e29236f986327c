package io.tenantry.tck.inmemory;

import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.tck.TenantScopedStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference {@link TenantScopedStore}: one concurrent map of entries per tenant, chosen by
 * {@link TenantContext#current()} on every call, so that a call without a tenant throws before it
 * touches anything.
 */
final class InMemoryTenantScopedStore implements TenantScopedStore {

    private final Map<TenantId, Map<String, String>> tenants = new ConcurrentHashMap<>();

    private Map<String, String> entries() {
        return tenants.computeIfAbsent(TenantContext.current(), tenant -> new ConcurrentHashMap<>());
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
        return entries().values().stream().filter(value -> value.startsWith(valuePrefix)).sorted().toList();
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
