package io.tenantry;

import java.util.List;
import java.util.Objects;

/**
 * Finds the tenant of an incoming unit of work. Three outcomes (see {@link Resolution}): resolved,
 * not applicable (this source is absent; let another speak), rejected (present but malformed, or
 * in conflict with another source).
 *
 * <p>The built-ins need no web stack: {@link #header}, {@link #subdomain}, {@link #pathSegment},
 * {@link #claim} and {@link #fixed}. {@link #chain} combines them: it asks every resolver, returns
 * the tenant when those that answered agree, and rejects when two disagree, so a forged header
 * cannot override a token. Implementations must be thread-safe and should not do I/O.
 */
@FunctionalInterface
public interface TenantResolver {

    /** Resolves the tenant of {@code request}. Never throws for a bad request: it says rejected. */
    Resolution resolve(TenantRequest request);

    /** Reads the tenant id from header {@code name}, for example {@code X-Tenant-Id}. */
    static TenantResolver header(String name) {
        return new Resolvers.Header(name);
    }

    /**
     * Reads the tenant id from the first label of the host under {@code baseDomain}:
     * {@code acme.cards.example} under {@code cards.example} is {@code acme}. Hosts outside the base
     * domain, and the base domain itself, are not applicable; deeper names ({@code a.b.cards.example})
     * are rejected. Ports are ignored and host names compared case-insensitively, as DNS does.
     */
    static TenantResolver subdomain(String baseDomain) {
        return new Resolvers.Subdomain(baseDomain);
    }

    /**
     * Reads the tenant id from the path segment after {@code prefix}: with prefix {@code /t}, the
     * path {@code /t/acme/cards} names {@code acme}. Paths not under the prefix are not applicable.
     */
    static TenantResolver pathSegment(String prefix) {
        return new Resolvers.PathSegment(prefix);
    }

    /** Reads the tenant id from claim {@code name} of the authenticated principal (a JWT claim, say). */
    static TenantResolver claim(String name) {
        return new Resolvers.Claim(name);
    }

    /**
     * Always names {@code tenant}. In a {@link #chain} it is the default: it applies only when no
     * other resolver found a tenant.
     */
    static TenantResolver fixed(TenantId tenant) {
        return new Resolvers.Fixed(tenant);
    }

    /**
     * Asks every resolver (fixed ones last, as defaults). Rejects if any rejects, or if two name
     * different tenants; otherwise returns the first tenant found, or not applicable.
     */
    static TenantResolver chain(TenantResolver... resolvers) {
        return chain(List.of(resolvers));
    }

    /** As {@link #chain(TenantResolver...)}. */
    static TenantResolver chain(List<TenantResolver> resolvers) {
        Objects.requireNonNull(resolvers, "resolvers");
        if (resolvers.isEmpty()) {
            throw new IllegalArgumentException("A resolver chain needs at least one resolver.");
        }
        return new Resolvers.Chain(resolvers);
    }
}
