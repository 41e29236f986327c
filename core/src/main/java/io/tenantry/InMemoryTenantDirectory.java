package io.tenantry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** The reference {@link TenantDirectory}: a concurrent sorted map. */
final class InMemoryTenantDirectory implements TenantDirectory {

    private final ConcurrentSkipListMap<TenantId, Tenant> tenants = new ConcurrentSkipListMap<>();

    @Override
    public Optional<Tenant> find(TenantId id) {
        return Optional.ofNullable(tenants.get(id));
    }

    @Override
    public List<Tenant> list() {
        return List.copyOf(new ArrayList<>(tenants.values()));
    }

    @Override
    public Tenant register(Tenant tenant) {
        Instant now = Instant.now();
        Tenant stored = tenant.toBuilder().version(1).createdAt(now).updatedAt(now).build();
        if (tenants.putIfAbsent(tenant.id(), stored) != null) {
            throw new TenantLifecycleException("Tenant \"" + tenant.id() + "\" is already registered; use update(...)"
                    + " to change it.");
        }
        return stored;
    }

    @Override
    public Tenant update(Tenant tenant) {
        Tenant[] result = new Tenant[1];
        Tenant after = tenants.computeIfPresent(tenant.id(), (id, stored) -> {
            if (stored.version() != tenant.version()) {
                throw new TenantLifecycleException("Tenant \"" + id + "\" was changed by someone else (stored version "
                        + stored.version() + ", given " + tenant.version() + "); read it again and reapply the change.");
            }
            result[0] = tenant.toBuilder().version(stored.version() + 1).createdAt(stored.createdAt())
                    .updatedAt(Instant.now()).build();
            return result[0];
        });
        if (after == null) {
            throw new UnknownTenantException(tenant.id());
        }
        return result[0];
    }

    @Override
    public void remove(TenantId id) {
        tenants.remove(id);
    }
}
