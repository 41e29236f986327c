package io.tenantry;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which stored {@link AuditEvent}s an {@link io.tenantry.spi.AuditLog} returns: those of one tenant or of
 * all, of some kinds or all, in a time window, newest first, at most {@link #limit()} of them.
 *
 * <pre>{@code
 * List<AuditEvent> recent = auditLog.find(AuditQuery.all().tenant(TenantId.of("acme"))
 *         .from(Instant.now().minus(Duration.ofDays(7))).limit(50));
 * List<AuditEvent> crossTenant = auditLog.find(AuditQuery.all()
 *         .kinds(AuditEvent.Kind.SYSTEM_SCOPE_OPENED));
 * }</pre>
 *
 * <p>Each method returns a new query; immutable and thread-safe.
 */
public final class AuditQuery {

    /** The limit of {@link #all()}. */
    public static final int DEFAULT_LIMIT = 100;

    /** The largest limit a query may have: a page of events, not an export of the log. */
    public static final int MAX_LIMIT = 10_000;

    private static final AuditQuery ALL = new AuditQuery(null, Set.of(), null, null, DEFAULT_LIMIT);

    private final @Nullable TenantId tenant;
    private final Set<AuditEvent.Kind> kinds;
    private final @Nullable Instant from;
    private final @Nullable Instant to;
    private final int limit;

    private AuditQuery(@Nullable TenantId tenant, Set<AuditEvent.Kind> kinds, @Nullable Instant from,
            @Nullable Instant to, int limit) {
        this.tenant = tenant;
        this.kinds = kinds;
        this.from = from;
        this.to = to;
        this.limit = limit;
    }

    /** Returns the query for the newest {@value #DEFAULT_LIMIT} events of every kind, tenant and time. */
    public static AuditQuery all() {
        return ALL;
    }

    /**
     * Returns this query narrowed to the events of {@code tenant}; events without a tenant (system scopes)
     * are then left out.
     */
    public AuditQuery tenant(TenantId tenant) {
        return new AuditQuery(Objects.requireNonNull(tenant, "tenant"), kinds, from, to, limit);
    }

    /**
     * Returns this query narrowed to events of the given kinds.
     *
     * @throws IllegalArgumentException if no kind is given
     */
    public AuditQuery kinds(AuditEvent.Kind first, AuditEvent.Kind... more) {
        return kinds(EnumSet.of(first, more));
    }

    /**
     * Returns this query narrowed to events of the given kinds.
     *
     * @throws IllegalArgumentException if {@code kinds} is empty (which would match nothing)
     */
    public AuditQuery kinds(Collection<AuditEvent.Kind> kinds) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("Name at least one kind; AuditQuery.all() without kinds(...) matches"
                    + " every kind.");
        }
        return new AuditQuery(tenant, Collections.unmodifiableSet(EnumSet.copyOf(kinds)), from, to, limit);
    }

    /** Returns this query narrowed to events that happened at {@code from} or later (inclusive). */
    public AuditQuery from(Instant from) {
        return new AuditQuery(tenant, kinds, Objects.requireNonNull(from, "from"), to, limit);
    }

    /** Returns this query narrowed to events that happened before {@code to} (exclusive). */
    public AuditQuery to(Instant to) {
        return new AuditQuery(tenant, kinds, from, Objects.requireNonNull(to, "to"), limit);
    }

    /**
     * Returns this query returning at most {@code limit} events, the newest ones that match.
     *
     * @throws IllegalArgumentException unless 1 &lt;= limit &lt;= {@value #MAX_LIMIT}
     */
    public AuditQuery limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("An audit query returns 1 to " + MAX_LIMIT + " events, not " + limit
                    + "; narrow the time window with from(...) and to(...) to see more.");
        }
        return new AuditQuery(tenant, kinds, from, to, limit);
    }

    /** Returns the tenant whose events are asked for; empty means every tenant's and the system scopes'. */
    public Optional<TenantId> tenant() {
        return Optional.ofNullable(tenant);
    }

    /** Returns the kinds asked for; empty means every kind. */
    public Set<AuditEvent.Kind> kinds() {
        return kinds;
    }

    /** Returns the inclusive lower bound of the time window, if any. */
    public Optional<Instant> from() {
        return Optional.ofNullable(from);
    }

    /** Returns the exclusive upper bound of the time window, if any. */
    public Optional<Instant> to() {
        return Optional.ofNullable(to);
    }

    /** Returns the most events returned. */
    public int limit() {
        return limit;
    }

    /** Returns whether {@code event} matches every condition of this query (the limit aside). */
    public boolean matches(AuditEvent event) {
        return (tenant == null || event.tenant().filter(tenant::equals).isPresent())
                && (kinds.isEmpty() || kinds.contains(event.kind()))
                && (from == null || !event.at().isBefore(from))
                && (to == null || event.at().isBefore(to));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuditQuery q && Objects.equals(tenant, q.tenant) && kinds.equals(q.kinds)
                && Objects.equals(from, q.from) && Objects.equals(to, q.to) && limit == q.limit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tenant, kinds, from, to, limit);
    }

    @Override
    public String toString() {
        return "AuditQuery(tenant=" + tenant + ", kinds=" + kinds + ", from=" + from + ", to=" + to + ", limit=" + limit
                + ")";
    }
}
