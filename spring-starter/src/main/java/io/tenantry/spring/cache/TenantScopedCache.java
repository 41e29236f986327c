package io.tenantry.spring.cache;

import io.tenantry.TenantContext;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;

/**
 * A cache seen by the tenant bound when it is called: each key is paired with that tenant, so one
 * tenant's entries are never served to another. With no tenant bound every call throws
 * {@link io.tenantry.NoTenantBoundException} and the cache is not touched (fail closed). {@link #clear()}
 * and {@link #invalidate()} clear the whole underlying cache, every tenant's entries: the cache cannot
 * list one tenant's. Thread-safe if the underlying cache is.
 */
final class TenantScopedCache implements Cache {

    private final Cache delegate;

    TenantScopedCache(Cache delegate) {
        this.delegate = delegate;
    }

    private static Object scoped(Object key) {
        return new TenantScopedKey(TenantContext.current().value(), key);
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    /** The underlying cache, which holds every tenant's entries under {@link TenantScopedKey}s. */
    @Override
    public Object getNativeCache() {
        return delegate.getNativeCache();
    }

    @Override
    public @Nullable ValueWrapper get(Object key) {
        return delegate.get(scoped(key));
    }

    @Override
    public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
        return delegate.get(scoped(key), type);
    }

    @Override
    public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
        return delegate.get(scoped(key), valueLoader);
    }

    @Override
    public @Nullable CompletableFuture<?> retrieve(Object key) {
        return delegate.retrieve(scoped(key));
    }

    @Override
    public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
        return delegate.retrieve(scoped(key), valueLoader);
    }

    @Override
    public void put(Object key, @Nullable Object value) {
        delegate.put(scoped(key), value);
    }

    @Override
    public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
        return delegate.putIfAbsent(scoped(key), value);
    }

    @Override
    public void evict(Object key) {
        delegate.evict(scoped(key));
    }

    @Override
    public boolean evictIfPresent(Object key) {
        return delegate.evictIfPresent(scoped(key));
    }

    @Override
    public void clear() {
        delegate.clear();
    }

    @Override
    public boolean invalidate() {
        return delegate.invalidate();
    }

    @Override
    public String toString() {
        return "TenantScopedCache(" + delegate.getName() + ")";
    }
}
