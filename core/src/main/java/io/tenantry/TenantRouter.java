package io.tenantry;

/**
 * Chooses where a tenant's data lives: {@code Tenant -> Placement}.
 *
 * <p>{@link #builder()} gives the rule-based router: a placement pinned on the tenant wins; then a
 * rule for the tenant's tier in its region; then its region (data residency outranks tier); then its
 * tier; then the default. A rule may name several placements, and then spreads its tenants over
 * them by rendezvous hashing of the tenant id: a tenant's bucket never changes when tenants are
 * added, and adding a bucket moves only the tenants the new bucket wins.
 *
 * <p>Implementations must be thread-safe, fast (they run on every routed call) and deterministic.
 */
@FunctionalInterface
public interface TenantRouter {

    /**
     * Returns the placement of {@code tenant}.
     *
     * @throws RoutingException if no rule applies
     */
    Placement route(Tenant tenant);

    /** Starts a rule-based router. */
    static RuleRouter.Builder builder() {
        return new RuleRouter.Builder();
    }
}
