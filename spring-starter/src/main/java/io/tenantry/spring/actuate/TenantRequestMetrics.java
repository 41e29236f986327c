package io.tenantry.spring.actuate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.Tenant;
import io.tenantry.TenantResolutionException;
import io.tenantry.TenantUnavailableException;
import io.tenantry.TenantryException;
import io.tenantry.UnknownTenantException;
import io.tenantry.spring.web.TenantRequestListener;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/**
 * Counts requests per tenant in {@value #METER}, tagged {@code tenant} (bounded, see
 * {@link TenantTags}) and {@code outcome} ({@code admitted}, or why the request was refused). Refusals
 * before the tenant is known to exist (missing, malformed, conflicting, unknown) are tagged tenant
 * {@value #NONE}, so made-up ids cannot take the tag slots of real tenants.
 */
final class TenantRequestMetrics implements TenantRequestListener {

    /** The counter's name. */
    static final String METER = "tenantry.requests";

    /** The tenant tag of requests refused before a known tenant was found. */
    static final String NONE = "none";

    private final MeterRegistry registry;
    private final TenantTags tags;

    TenantRequestMetrics(MeterRegistry registry, int maxTenantTags) {
        this.registry = registry;
        this.tags = new TenantTags(maxTenantTags);
    }

    @Override
    public void admitted(HttpServletRequest request, Tenant tenant) {
        count(tags.valueOf(tenant.id().value()), "admitted");
    }

    @Override
    public void refused(HttpServletRequest request, TenantryException failure) {
        if (failure instanceof TenantUnavailableException) {
            TenantUnavailableException unavailable = (TenantUnavailableException) failure;
            count(tags.valueOf(unavailable.tenantId().value()),
                    unavailable.status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        } else if (failure instanceof UnknownTenantException) {
            count(NONE, "unknown");
        } else if (failure instanceof TenantResolutionException) {
            count(NONE, ((TenantResolutionException) failure).reason().name().toLowerCase(Locale.ROOT));
        } else {
            count(NONE, "refused");
        }
    }

    private void count(String tenant, String outcome) {
        Counter.builder(METER).description("Requests by tenant and admission outcome").tag("tenant", tenant)
                .tag("outcome", outcome).register(registry).increment();
    }
}
