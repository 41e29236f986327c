package io.tenantry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link TenantDirectory} that caches another one's lookups in Caffeine: found tenants for a
 * time-to-live, unknown ids for a (usually shorter) negative time-to-live, so that a flood of
 * requests for a made-up id does not reach the store. Writes go through to the delegate and
 * invalidate the entry; changes made elsewhere become visible after the TTL or an explicit
 * {@link #invalidate(TenantId)}.
 *
 * <p>{@link #list()} is not cached. Thread-safe.
 */
public final class CachingTenantDirectory implements TenantDirectory {

    /** One read in this many is recorded for the eviction policy (see {@link #find}); a power of two. */
    private static final int RECORDED_READS = 64;

    private final TenantDirectory delegate;
    private final Cache<TenantId, Optional<Tenant>> cache;
    private final Policy<TenantId, Optional<Tenant>> policy;
    /** Created once: a method reference per lookup would allocate on the hot path. */
    private final java.util.function.Function<TenantId, Optional<Tenant>> load;

    private CachingTenantDirectory(Builder builder) {
        this.delegate = builder.delegate;
        this.load = delegate::find;
        long ttl = builder.ttl.toNanos();
        long negativeTtl = builder.negativeTtl.toNanos();
        this.cache = Caffeine.newBuilder()
                // Maintenance (draining the read buffer every few lookups, expiring) runs on the calling
                // thread: handing it to ForkJoinPool.commonPool() woke a worker thread every few lookups,
                // which cost the request more than the maintenance itself (benchmarks/README.md).
                .executor(Runnable::run)
                .maximumSize(builder.maximumSize)
                .expireAfter(new Expiry<TenantId, Optional<Tenant>>() {
                    @Override
                    public long expireAfterCreate(TenantId key, Optional<Tenant> value, long currentTime) {
                        return value.isPresent() ? ttl : negativeTtl;
                    }

                    @Override
                    public long expireAfterUpdate(TenantId key, Optional<Tenant> value, long currentTime,
                            long currentDuration) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(TenantId key, Optional<Tenant> value, long currentTime,
                            long currentDuration) {
                        return currentDuration;
                    }
                })
                .ticker(builder.ticker::read)
                .build();
        this.policy = cache.policy();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Every routed call looks its tenant up here, so only about one lookup in
     * {@value #RECORDED_READS}, chosen at random, is recorded for the eviction policy; the others read
     * quietly. A recorded read goes into Caffeine's read buffer, which is drained (with expiry and the
     * eviction policy's upkeep) every 16 reads; recording every read, that upkeep was most of what a
     * lookup cost, and even at one read in 16 the recorded reads cost more than all the quiet ones
     * (benchmarks/README.md). A quiet read honours expiry and invalidation exactly; the eviction policy
     * sees a uniform sample of the reads, which keeps its frequency estimates in proportion.
     */
    @Override
    public Optional<Tenant> find(TenantId id) {
        if ((ThreadLocalRandom.current().nextInt() & (RECORDED_READS - 1)) != 0) {
            Optional<Tenant> cached = policy.getIfPresentQuietly(id);
            if (cached != null) {
                return cached;
            }
        }
        return cache.get(id, load);
    }

    /** As {@link TenantDirectory#require}, without a lambda per lookup: it runs on every routed call. */
    @Override
    public Tenant require(TenantId id) {
        Optional<Tenant> found = find(id);
        if (found.isEmpty()) {
            throw new UnknownTenantException(id);
        }
        return found.get();
    }

    @Override
    public List<Tenant> list() {
        return delegate.list();
    }

    @Override
    public Tenant register(Tenant tenant) {
        try {
            return delegate.register(tenant);
        } finally {
            cache.invalidate(tenant.id());
        }
    }

    @Override
    public Tenant update(Tenant tenant) {
        try {
            return delegate.update(tenant);
        } finally {
            cache.invalidate(tenant.id());
        }
    }

    @Override
    public void remove(TenantId id) {
        try {
            delegate.remove(id);
        } finally {
            cache.invalidate(id);
        }
    }

    /** Forgets what is cached for {@code id}; the next lookup asks the delegate. */
    public void invalidate(TenantId id) {
        cache.invalidate(id);
    }

    /** Forgets everything cached. */
    public void invalidateAll() {
        cache.invalidateAll();
    }

    /**
     * Performs pending cache maintenance now. Caffeine evicts over-size entries asynchronously; tests
     * call this to observe the size bound deterministically.
     */
    void cleanUp() {
        cache.cleanUp();
    }

    /** Returns the directory whose lookups are cached. */
    public TenantDirectory delegate() {
        return delegate;
    }

    /** A source of nanosecond time, replaceable in tests. */
    @FunctionalInterface
    public interface Ticker {
        long read();
    }

    /** Configures a {@link CachingTenantDirectory}. Defaults: TTL 1 minute, negative TTL 5 seconds, 10,000 entries. */
    public static final class Builder {
        private final TenantDirectory delegate;
        private Duration ttl = Duration.ofMinutes(1);
        private Duration negativeTtl = Duration.ofSeconds(5);
        private long maximumSize = 10_000;
        private Ticker ticker = System::nanoTime;

        Builder(TenantDirectory delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        /** How long a found tenant is served from the cache. */
        public Builder ttl(Duration ttl) {
            this.ttl = positive(ttl, "ttl");
            return this;
        }

        /** How long an unknown id is remembered as unknown; {@link Duration#ZERO} turns negative caching off. */
        public Builder negativeTtl(Duration negativeTtl) {
            Objects.requireNonNull(negativeTtl, "negativeTtl");
            if (negativeTtl.isNegative()) {
                throw new IllegalArgumentException("negativeTtl must not be negative");
            }
            this.negativeTtl = negativeTtl;
            return this;
        }

        /** The most entries kept (found and unknown together). */
        public Builder maximumSize(long maximumSize) {
            if (maximumSize < 1) {
                throw new IllegalArgumentException("maximumSize must be at least 1, was " + maximumSize);
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /** Replaces the clock, for tests. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        public CachingTenantDirectory build() {
            return new CachingTenantDirectory(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
