package io.tenantry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the lifecycle journal: a long operation on one tenant (a move, a deletion, a creation, an
 * export, an import) and the last step it completed. The journal is written before and after each step, so that after a
 * crash {@link TenantLifecycle#recover()} knows whether to roll the operation back or forward. Immutable.
 *
 * @param id the operation's id
 * @param kind what it does
 * @param tenant the tenant it works on
 * @param step the last step completed
 * @param from where the tenant's data was when the operation started (for an import: where it goes)
 * @param to where a move puts it; null for other kinds
 * @param targetTier the tier a move by {@link TenantLifecycle#changeTier} gives the tenant when it flips;
 *     null when the move pins a placement instead
 * @param archive the archive folder an export writes or an import reads; null for other kinds
 * @param previousStatus the tenant's status before the operation, restored when it ends
 * @param startedAt when it started
 * @param updatedAt when it last completed a step
 * @param detail why it ended the way it did, for operators; empty while it runs
 */
public record LifecycleOperation(String id, Kind kind, TenantId tenant, Step step, Placement from, @Nullable Placement to,
        @Nullable String targetTier, @Nullable String archive, TenantStatus previousStatus, Instant startedAt,
        Instant updatedAt, String detail) {

    /** What an operation does. */
    public enum Kind {
        /** Registers a tenant and provisions its placement. */
        CREATE,
        /** Copies a tenant's data to another placement and switches it over. */
        MOVE,
        /** Erases a tenant's data everywhere and removes it from the directory. */
        DELETE,
        /** Writes a tenant's data into an archive folder. */
        EXPORT,
        /** Registers a tenant and writes an archive's data as its own. */
        IMPORT
    }

    /** The steps, in the order they happen; an operation records each one when it is done. */
    public enum Step {
        /** Journaled; nothing changed yet. */
        STARTED,
        /**
         * Move, export: the tenant is read-only (or was not writable, or the store reads a snapshot), and
         * caches have had time to see it.
         */
        READ_ONLY,
        /** Create, import: the tenant is in the directory, not yet admitted. Delete: it is marked deleted. */
        SEALED,
        /**
         * Move: the data is copied to the target. Create: the placement is provisioned. Delete: erased.
         * Export: the archive is complete under its name. Import: the archive's data is written.
         */
        COPIED,
        /** Move: the copy's digest equals the source's. Import: the data's digest equals the manifest's. */
        VERIFIED,
        /** Move: the directory routes the tenant to the target; the source is no longer read. */
        FLIPPED,
        /** Finished as asked (terminal). */
        DONE,
        /** Undone: the tenant is where it was, with its status back (terminal). */
        ROLLED_BACK;

        /** Returns whether the operation has ended. */
        public boolean terminal() {
            return this == DONE || this == ROLLED_BACK;
        }
    }

    /** An operation without an archive (a move, a deletion, a creation). */
    public LifecycleOperation(String id, Kind kind, TenantId tenant, Step step, Placement from, @Nullable Placement to,
            @Nullable String targetTier, TenantStatus previousStatus, Instant startedAt, Instant updatedAt,
            String detail) {
        this(id, kind, tenant, step, from, to, targetTier, null, previousStatus, startedAt, updatedAt, detail);
    }

    public LifecycleOperation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(previousStatus, "previousStatus");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(detail, "detail");
    }

    static LifecycleOperation start(Kind kind, TenantId tenant, Placement from, @Nullable Placement to,
            @Nullable String targetTier, TenantStatus previousStatus) {
        return start(kind, tenant, from, to, targetTier, null, previousStatus);
    }

    static LifecycleOperation start(Kind kind, TenantId tenant, Placement from, @Nullable Placement to,
            @Nullable String targetTier, @Nullable String archive, TenantStatus previousStatus) {
        Instant now = Instant.now();
        return new LifecycleOperation(UUID.randomUUID().toString(), kind, tenant, Step.STARTED, from, to, targetTier,
                archive, previousStatus, now, now, "");
    }

    /** Returns this operation at {@code next}, updated now. */
    LifecycleOperation at(Step next) {
        return new LifecycleOperation(id, kind, tenant, next, from, to, targetTier, archive, previousStatus,
                startedAt, Instant.now(), detail);
    }

    /** Returns this operation at {@code next} with {@code why}. */
    LifecycleOperation at(Step next, String why) {
        return new LifecycleOperation(id, kind, tenant, next, from, to, targetTier, archive, previousStatus,
                startedAt, Instant.now(), why);
    }

    /** Returns the target of a move. */
    public Optional<Placement> target() {
        return Optional.ofNullable(to);
    }
}
