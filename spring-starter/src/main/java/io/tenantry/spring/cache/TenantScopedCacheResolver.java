package io.tenantry.spring.cache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheOperationInvocationContext;
import org.springframework.cache.interceptor.CacheResolver;

/**
 * Resolves the caches of a caching annotation from the application's {@link CacheManager}, each
 * confined to the bound tenant unless it is named shared. Thread-safe.
 */
final class TenantScopedCacheResolver implements CacheResolver {

    private final ObjectProvider<CacheManager> cacheManager;
    private final Set<String> shared;
    private final Map<Cache, Cache> scoped = new ConcurrentHashMap<>();

    TenantScopedCacheResolver(ObjectProvider<CacheManager> cacheManager, Collection<String> shared) {
        this.cacheManager = cacheManager;
        this.shared = Set.copyOf(shared);
    }

    @Override
    public Collection<? extends Cache> resolveCaches(CacheOperationInvocationContext<?> context) {
        CacheManager manager = cacheManager.getObject();
        List<Cache> caches = new ArrayList<>();
        for (String name : context.getOperation().getCacheNames()) {
            Cache cache = manager.getCache(name);
            if (cache == null) {
                throw new IllegalArgumentException("Cannot find cache named '" + name + "' for "
                        + context.getOperation());
            }
            caches.add(shared.contains(name) ? cache : scoped.computeIfAbsent(cache, TenantScopedCache::new));
        }
        return caches;
    }
}
