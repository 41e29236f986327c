package io.tenantry.spring.cache;

import java.io.Serializable;

/**
 * A cache key of one tenant: the tenant's id and the key the application gave. Serializable, so that
 * caches which serialize their keys (Redis, Hazelcast) keep the two apart; its text form, which caches
 * that key by text use, starts with the tenant. Immutable.
 *
 * @param tenant the tenant's id
 * @param key the application's key
 */
record TenantScopedKey(String tenant, Object key) implements Serializable {

    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return tenant + "::" + key;
    }
}
