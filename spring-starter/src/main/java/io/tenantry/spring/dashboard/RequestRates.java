package io.tenantry.spring.dashboard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tenantry.Tenant;
import io.tenantry.TenantId;
import io.tenantry.spring.web.TenantRequestListener;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Each tenant's admitted requests over the last minute, for the dashboard's request rate: a ring of six
 * ten-second slots per tenant, kept for the tenants that made a request in the last two minutes, at most
 * {@value #MAX_TENANTS} of them. Thread-safe; a count may miss a request that races a slot's reuse, which
 * a rate shown to an operator can afford.
 */
final class RequestRates implements TenantRequestListener {

    static final int MAX_TENANTS = 10_000;
    private static final long SLOT_MILLIS = 10_000;
    private static final int SLOTS = 6;

    private final LongSupplier clock;
    private final Cache<TenantId, Ring> rings = Caffeine.newBuilder().maximumSize(MAX_TENANTS)
            .expireAfterAccess(Duration.ofMinutes(2)).build();

    RequestRates() {
        this(System::currentTimeMillis);
    }

    RequestRates(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void admitted(HttpServletRequest request, Tenant tenant) {
        rings.get(tenant.id(), id -> new Ring()).add(clock.getAsLong() / SLOT_MILLIS);
    }

    /** Returns the tenant's admitted requests over the last minute (the current slot and the five before it). */
    long lastMinute(TenantId tenant) {
        Ring ring = rings.getIfPresent(tenant);
        return ring == null ? 0 : ring.sum(clock.getAsLong() / SLOT_MILLIS);
    }

    /** Six slots; slot {@code s % 6} counts the requests of ten-second slot {@code s}, while it is recent. */
    private static final class Ring {
        private final AtomicLongArray counts = new AtomicLongArray(SLOTS);
        private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

        void add(long slot) {
            int i = (int) (slot % SLOTS);
            long held = slots.get(i);
            if (held != slot && slots.compareAndSet(i, held, slot)) {
                counts.set(i, 0);
            }
            counts.incrementAndGet(i);
        }

        long sum(long now) {
            long sum = 0;
            for (int i = 0; i < SLOTS; i++) {
                long slot = slots.get(i);
                if (slot > now - SLOTS && slot <= now) {
                    sum += counts.get(i);
                }
            }
            return sum;
        }
    }
}
