package io.tenantry.spi;

import io.tenantry.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * Consulted by {@link io.tenantry.TenantContext} before a scope replaces the tenant bound to a thread:
 * {@code open}, {@code runAs} or {@code callAs} of a <em>different</em> tenant, or {@code openSystem},
 * while a tenant is bound. A guard refuses the switch by throwing, and then nothing is bound. The
 * Spring Boot starter registers one that refuses to switch tenants inside a transaction on Tenantry's
 * routing {@code DataSource}, whose connection and persistence context belong to the tenant it began
 * for.
 *
 * <p>Nested scopes of the same tenant and scopes opened while no tenant is bound do not reach the
 * guards. Implementations must be thread-safe and fast: they run on every such switch, on the
 * switching thread.
 */
@FunctionalInterface
public interface TenantSwitchGuard {

    /**
     * Checks a switch on the calling thread.
     *
     * @param bound the tenant bound now
     * @param next the tenant about to be bound, or {@code null} for a system scope
     * @param systemReason the system scope's reason when {@code next} is {@code null}, else {@code null}
     * @throws RuntimeException to refuse the switch, typically an
     *     {@link io.tenantry.IsolationViolationException} whose message says what to do instead
     */
    void check(TenantId bound, @Nullable TenantId next, @Nullable String systemReason);

    /** A registered guard; closing it removes the guard. Idempotent. */
    interface Registration extends AutoCloseable {

        /** Removes the guard; later switches no longer consult it. */
        @Override
        void close();
    }
}
