package io.tenantry.mongo;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.RoutingException;
import io.tenantry.RuleRouter;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The rule that a database on a cluster belongs to one isolation model: the shared database of FIELD
 * placements, the shared database of COLLECTION placements and the own database of a DATABASE tenant are
 * never the same database.
 *
 * <p>Why: the models tell a tenant's data apart in different ways (the tenant field; a collection named
 * {@code <tenant id>.<name>}; the whole database), and in a database holding two of them one tenant's
 * data can pass for another's. A COLLECTION tenant can keep, in its own collection, a document in a FIELD
 * tenant's stored form, which the lifecycle would then erase, digest and move as the FIELD tenant's; a
 * FIELD collection named {@code acme.cards} is the collection {@code cards} of COLLECTION tenant
 * {@code acme}; erasing a DATABASE tenant drops its database, shared collections and all.
 *
 * <p>Each database in use on the adapter's clusters is claimed (other stores are another adapter's, whose
 * rules differ: PostgreSQL keeps shared tables and a schema per tenant in one database), and the first claim wins: (cluster, database name ignoring case, as
 * MongoDB compares them) to the model, and for a DATABASE tenant's own database to that tenant too. The
 * placements a {@link RuleRouter} declares are claimed when {@link TenantMongo} is built, so that their
 * databases win over any tenant routed later; every placement is claimed as a tenant is routed to it,
 * provisioned, or handled by the lifecycle's data store. A claim that another model (or, for own
 * databases, another tenant) holds is refused with a {@link RoutingException} naming both, the database,
 * the cluster and a fix. Claims live as long as the {@link TenantMongo} and are not written anywhere, so
 * two processes routing with different routers are not checked against each other.
 *
 * <p>Thread-safe: a routed call looks its target up in a concurrent set of admitted targets; only a
 * target not seen before takes the lock.
 */
final class DatabaseClaims {

    /** Who uses a database: a shared placement, or one tenant at a DATABASE placement. */
    private record Claim(Placement placement, @Nullable TenantId owner) {

        @Override
        public String toString() {
            if (owner != null) {
                return "tenant \"" + owner + "\"'s own database at " + placement;
            }
            return placement + (placement.model() == IsolationModel.FIELD ? " (collections shared through a tenant field)"
                    : " (a collection per tenant)");
        }
    }

    /** (cluster, lower-case database) to its claim; guarded by {@code this}. */
    private final Map<String, Claim> claims = new HashMap<>();
    /** FIELD and COLLECTION placements whose database is claimed: every tenant on them is admitted. */
    private final Set<Placement> sharedAdmitted = ConcurrentHashMap.newKeySet();
    /** Tenants at DATABASE placements whose own database is claimed. */
    private final Set<Routing.Target> ownAdmitted = ConcurrentHashMap.newKeySet();

    /** The adapter's clusters: placements on other stores (another adapter's, with its own rules) are not claimed. */
    private final Set<String> clusters;

    private DatabaseClaims(Set<String> clusters) {
        this.clusters = Set.copyOf(clusters);
    }

    /**
     * Returns the claims of the placements on {@code clusters} that {@code router} declares: all of them if it
     * is a {@link RuleRouter}, none otherwise (a router that cannot list its placements is checked as it routes).
     *
     * @throws RoutingException if two declared placements of different models use one database
     */
    static DatabaseClaims declaredBy(TenantRouter router, Set<String> clusters) {
        DatabaseClaims declared = new DatabaseClaims(clusters);
        if (router instanceof RuleRouter rules) {
            for (Placement placement : rules.placements()) {
                if (placement.model() != IsolationModel.DATABASE && clusters.contains(placement.store())) {
                    declared.claim(null, placement, placement.namespace(), "The router's placements conflict: ");
                }
            }
        }
        return declared;
    }

    /**
     * Admits the target of a call, claiming its database if it is the first to use it. A placement on a
     * store that is not one of the clusters is left to the cluster lookup, which refuses it.
     *
     * @throws RoutingException if another model, or another tenant's own database, holds that database
     */
    void admit(Routing.Target target) {
        boolean own = target.placement.model() == IsolationModel.DATABASE;
        if (own ? ownAdmitted.contains(target) : sharedAdmitted.contains(target.placement)) {
            return;
        }
        if (!clusters.contains(target.placement.store())) {
            return;
        }
        claim(target.tenant, target.placement, target.isolation.databaseName(target.tenant, target.placement),
                "Tenant \"" + target.tenant + "\" is refused: ");
        if (own) {
            ownAdmitted.add(target);
        } else {
            sharedAdmitted.add(target.placement);
        }
    }

    private synchronized void claim(@Nullable TenantId tenant, Placement placement, String database, String context) {
        Claim mine = new Claim(placement, placement.model() == IsolationModel.DATABASE ? tenant : null);
        String key = placement.store() + '\u0000' + database.toLowerCase(Locale.ROOT);
        Claim held = claims.putIfAbsent(key, mine);
        if (held == null) {
            return;
        }
        boolean sameModel = held.placement().model() == placement.model();
        if (sameModel && Objects.equals(held.owner(), mine.owner())) {
            return;
        }
        String what = mine + " would use database \"" + database + "\" on cluster \"" + placement.store()
                + "\", which " + held + " uses already.";
        if (sameModel) {
            throw new RoutingException(context + what + " Two tenants must never share a database: give the"
                    + " DATABASE placements on cluster \"" + placement.store() + "\" prefixes where neither starts"
                    + " with the other.");
        }
        throw new RoutingException(context + what + " A database on a cluster belongs to one isolation model: where"
                + " two models share one, a tenant of one can keep data that the other counts as another tenant's,"
                + " and deleting or moving that tenant takes it along. Give each model its own database, e.g. "
                + fix(mine, held) + ".");
    }

    /** A placement that would end the conflict: the shared one of the two, on a database of its own. */
    private static String fix(Claim mine, Claim held) {
        Claim shared = mine.owner() == null ? mine : held;
        Claim other = shared == mine ? held : mine;
        String name = shared.placement().namespace();
        String suffix = "_" + shared.placement().model().name().toLowerCase(Locale.ROOT);
        String renamed = name.substring(0, Math.min(name.length(), 63 - suffix.length())) + suffix;
        String move = Placement.of(shared.placement().model(), shared.placement().store(), renamed).toString();
        if (other.owner() != null) {
            return move + ", or a prefix for " + other.placement() + " that \"" + name + "\" does not start with";
        }
        return move;
    }
}
