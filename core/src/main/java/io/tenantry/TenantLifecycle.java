package io.tenantry;

import io.tenantry.LifecycleOperation.Kind;
import io.tenantry.LifecycleOperation.Step;
import io.tenantry.spi.LifecycleJournal;
import io.tenantry.spi.TenantDataStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's side of a tenant's life: create, suspend, resume, move (by pinning a placement or
 * changing the tier), delete, export and import, each journaled so that a crash at any step is finished
 * or undone by {@link #recover()}; {@link #forEach} runs one of them over many tenants with bounded
 * parallelism.
 *
 * <p><b>A move</b> makes the tenant read-only (reads go on; writes get the read-only refusal), waits
 * {@link Builder#settle(Duration)} so that every process's directory cache sees it, measures the source
 * ({@link TenantDigest}), copies the data to the target, measures the copy, and only when the two digests
 * are equal switches the tenant over in one directory update (its placement or tier, and its status
 * back), then erases the source. A failed verification erases the copy and leaves the tenant where it
 * was, writable again. Until the switch the directory routes the tenant to the source, after it to the
 * target: it is never read or written in two places.
 *
 * <p><b>Export and import</b> write and read a {@link TenantArchive}: a folder with a manifest (the
 * tenant, its placement, per collection or table a count and a content hash) and the data as lines of
 * the adapter's format, streamed both ways. An archive imports into any placement of the same adapter;
 * the import is verified against the manifest's hashes before the tenant is admitted, and undone
 * otherwise.
 *
 * <p><b>Recovery</b>: an operation found unfinished in the journal is undone if it had not switched the
 * tenant over (the copy erased, the status restored), and finished if it had (the source erased). A
 * deletion or creation is always finished. An export is finished if its archive is complete (it was
 * renamed into place) and undone otherwise (its unfinished folder deleted); an import is finished if it
 * had been verified and undone otherwise (its data erased, its directory entry removed). Call {@link #recover()} once when a process starts, before it
 * serves requests; operations on a tenant with an unfinished one are refused until then.
 *
 * <p><b>Audit</b>: each operation's outcome ({@link AuditEvent.Kind#TENANT_MOVED}, {@code TENANT_DELETED},
 * ...) is recorded before its journal entry ends, so that a crash between the two repeats the record on
 * recovery rather than lose it: at least once.
 *
 * <p>Thread-safe. Operations on different tenants may run at the same time; two on one tenant are refused
 * by the journal check, also across processes that share the journal (the second one sees the first's
 * entry).
 */
public final class TenantLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TenantLifecycle.class);

    private final TenantDirectory directory;
    private final TenantRouter router;
    private final List<TenantDataStore> stores;
    private final LifecycleJournal journal;
    private final Duration settle;
    private final @Nullable TenantQuotas quotas;

    private TenantLifecycle(Builder b) {
        this.directory = Objects.requireNonNull(b.directory, "directory");
        this.router = Objects.requireNonNull(b.router, "router");
        this.stores = List.copyOf(b.stores);
        this.journal = b.journal;
        this.settle = b.settle;
        this.quotas = b.quotas;
        if (stores.isEmpty()) {
            throw new IllegalStateException("A tenant lifecycle needs at least one adapter's TenantDataStore.");
        }
    }

    /** Starts a lifecycle over {@code directory} and {@code router}. */
    public static Builder builder(TenantDirectory directory, TenantRouter router) {
        return new Builder(directory, router);
    }

    /**
     * Registers {@code tenant}, provisions its placement, and only then gives it its status: until then it
     * is in the directory as {@link TenantStatus#SUSPENDED}, so no request reaches a half-made placement.
     *
     * @return the tenant as stored
     * @throws TenantLifecycleException if the id is taken, or an operation on it is unfinished
     * @throws RoutingException if no placement applies to it
     */
    public Tenant create(Tenant tenant) {
        Placement placement = router.route(tenant);
        TenantDataStore store = storeFor(placement);
        refuseIfBusy(tenant.id());
        LifecycleOperation op = LifecycleOperation.start(Kind.CREATE, tenant.id(), placement, null, null,
                tenant.status());
        journal.save(op);
        directory.register(tenant.toBuilder().status(TenantStatus.SUSPENDED).build());
        op = step(op, Step.SEALED);
        return finishCreate(op, store);
    }

    private Tenant finishCreate(LifecycleOperation op, TenantDataStore store) {
        store.provision(op.tenant(), op.from());
        op = step(op, Step.COPIED);
        Tenant created = setStatus(op.tenant(), op.previousStatus());
        audit(AuditEvent.Kind.TENANT_CREATED, op.tenant(), "created at " + op.from());
        step(op, Step.DONE);
        return created;
    }

    /** Refuses every request of the tenant until {@link #resume}. @return the tenant as stored */
    public Tenant suspend(TenantId tenant) {
        refuseIfBusy(tenant);
        Tenant stored = setStatus(tenant, TenantStatus.SUSPENDED);
        audit(AuditEvent.Kind.TENANT_STATUS_CHANGED, tenant, "suspended");
        return stored;
    }

    /** Admits the tenant's requests again. @return the tenant as stored */
    public Tenant resume(TenantId tenant) {
        refuseIfBusy(tenant);
        Tenant stored = setStatus(tenant, TenantStatus.ACTIVE);
        audit(AuditEvent.Kind.TENANT_STATUS_CHANGED, tenant, "resumed");
        return stored;
    }

    /**
     * Pins {@code target} as the tenant's placement, moving its data there first when it is elsewhere.
     *
     * @return the operation as it ended ({@link Step#DONE}); when the tenant is there already, nothing is
     *     journaled and an operation at {@code DONE} is returned
     * @throws TenantLifecycleException if the copy does not verify (the tenant stays where it was, nothing
     *     lost), an operation on the tenant is unfinished, or the target is on another adapter
     */
    public LifecycleOperation move(TenantId tenant, Placement target, LifecycleProgress.Listener listener) {
        return move(directory.require(tenant), target, null, listener);
    }

    /**
     * Gives the tenant {@code tier}, moving its data first when the router places that tier elsewhere (a
     * pinned placement still wins, and then nothing moves).
     *
     * @return the operation as it ended
     * @throws TenantLifecycleException as {@link #move} does
     */
    public LifecycleOperation changeTier(TenantId tenant, String tier, LifecycleProgress.Listener listener) {
        Tenant current = directory.require(tenant);
        Placement target = router.route(current.toBuilder().tier(tier).build());
        return move(current, target, tier, listener);
    }

    private LifecycleOperation move(Tenant tenant, Placement target, @Nullable String tier,
            LifecycleProgress.Listener listener) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(listener, "listener");
        if (tenant.status() == TenantStatus.DELETED) {
            throw new TenantLifecycleException("Tenant \"" + tenant.id() + "\" is deleted; there is nothing to move.");
        }
        refuseIfBusy(tenant.id());
        Placement source = router.route(tenant);
        if (source.equals(target)) {
            Tenant updated = tier == null ? tenant.toBuilder().placement(target).build()
                    : tenant.toBuilder().tier(tier).build();
            directory.update(updated);
            return LifecycleOperation.start(Kind.MOVE, tenant.id(), source, target, tier, tenant.status()).at(Step.DONE,
                    "already at " + target);
        }
        TenantDataStore store = storeFor(source);
        if (storeFor(target) != store) {
            throw new TenantLifecycleException("Cannot move tenant \"" + tenant.id() + "\" from " + source + " to "
                    + target + ": they belong to different adapters. Export it and import it instead.");
        }
        LifecycleOperation op = LifecycleOperation.start(Kind.MOVE, tenant.id(), source, target, tier, tenant.status());
        journal.save(op);
        LOG.info("Moving tenant {} from {} to {}", tenant.id(), source, target);
        List<String> differences;
        Copy copy;
        try {
            if (tenant.status().allowsWrites()) {
                setStatus(tenant.id(), TenantStatus.READ_ONLY);
                sleep(settle);
            }
            op = step(op, Step.READ_ONLY);
            copy = new Copy(op, listener);
            TenantDigest expected = store.digest(tenant.id(), source);
            copy.total = expected.totalCount();
            store.erase(tenant.id(), target); // what an earlier, undone attempt may have left
            store.provision(tenant.id(), target);
            store.copy(tenant.id(), source, target, copy);
            op = step(op, Step.COPIED);
            differences = expected.differences(store.digest(tenant.id(), target));
        } catch (RuntimeException e) {
            throw undone(op, store, e);
        }
        if (!differences.isEmpty()) {
            String why = "the copy does not match the source: " + String.join("; ", differences);
            rollBack(op, store, why);
            throw new TenantLifecycleException("Moving tenant \"" + tenant.id() + "\" to " + target + " failed: "
                    + why + ". The copy was erased; the tenant stays at " + source + " with its data, writable again.");
        }
        op = step(op, Step.VERIFIED);
        listener.progress(copy.report(op));
        return finishMove(flip(op), store);
    }

    /**
     * A move failed before the switch, with the process alive (a store error, a refused document): undo it
     * now rather than leave the tenant read-only until the next recovery. If undoing fails too, the journal
     * still holds the operation for {@link #recover()}.
     */
    private RuntimeException undone(LifecycleOperation op, TenantDataStore store, RuntimeException failure) {
        try {
            rollBack(op, store, "failed: " + failure.getMessage());
        } catch (RuntimeException again) {
            failure.addSuppressed(again);
            return failure;
        }
        return new TenantLifecycleException("Moving tenant \"" + op.tenant() + "\" to " + op.to() + " failed: "
                + failure.getMessage() + " It was undone: the tenant stays at " + op.from() + " with its data, and its"
                + " status is back.", failure);
    }

    private LifecycleOperation flip(LifecycleOperation op) {
        Tenant current = directory.require(op.tenant());
        Tenant.Builder flipped = current.toBuilder().status(op.previousStatus());
        if (op.targetTier() != null) {
            flipped.tier(op.targetTier());
        } else {
            flipped.placement(op.to());
        }
        directory.update(flipped.build());
        return step(op, Step.FLIPPED);
    }

    private LifecycleOperation finishMove(LifecycleOperation op, TenantDataStore store) {
        sleep(settle); // processes with a cached entry may still read the source until then
        store.erase(op.tenant(), op.from());
        audit(AuditEvent.Kind.TENANT_MOVED, op.tenant(), "moved from " + op.from() + " to " + op.to());
        LifecycleOperation done = step(op, Step.DONE);
        LOG.info("Moved tenant {} from {} to {}", op.tenant(), op.from(), op.to());
        return done;
    }

    private void rollBack(LifecycleOperation op, TenantDataStore store, String why) {
        if (routesToTarget(op)) {
            throw new TenantLifecycleException("Will not undo the move " + op.id() + " of tenant \"" + op.tenant()
                    + "\": the directory routes it to " + op.to() + ", whose data would be erased. " + why);
        }
        store.erase(op.tenant(), Objects.requireNonNull(op.to()));
        Tenant current = directory.require(op.tenant());
        if (current.status() != op.previousStatus()) {
            directory.update(current.toBuilder().status(op.previousStatus()).build());
        }
        audit(AuditEvent.Kind.LIFECYCLE_ROLLED_BACK, op.tenant(), "move to " + op.to() + " undone: " + why);
        journal.save(op.at(Step.ROLLED_BACK, why));
        LOG.warn("Move of tenant {} to {} undone: {}", op.tenant(), op.to(), why);
    }

    /**
     * Deletes the tenant for good: marks it deleted (every request refused), erases its data at its
     * placement, and removes its directory entry. The audit record of the deletion stays.
     *
     * @throws TenantLifecycleException if an operation on the tenant is unfinished (a move, say)
     */
    public void delete(TenantId tenant) {
        Tenant current = directory.require(tenant);
        refuseIfBusy(tenant);
        Placement placement = router.route(current);
        TenantDataStore store = storeFor(placement);
        LifecycleOperation op = LifecycleOperation.start(Kind.DELETE, tenant, placement, null, null, current.status());
        journal.save(op);
        finishDelete(op, store);
    }

    private void finishDelete(LifecycleOperation op, TenantDataStore store) {
        if (op.step().compareTo(Step.SEALED) < 0) {
            directory.find(op.tenant()).ifPresent(t -> {
                if (t.status() != TenantStatus.DELETED) {
                    directory.update(t.toBuilder().status(TenantStatus.DELETED).build());
                }
            });
            op = step(op, Step.SEALED);
        }
        store.erase(op.tenant(), op.from());
        forgetCounts(op.tenant());
        op = step(op, Step.COPIED);
        directory.remove(op.tenant());
        audit(AuditEvent.Kind.TENANT_DELETED, op.tenant(), "erased at " + op.from() + " and removed");
        step(op, Step.DONE);
    }

    /**
     * Writes the tenant's data into a new archive folder {@code archive} ({@link TenantArchive}), streaming.
     * When its adapter cannot read one snapshot ({@link TenantDataStore#readsSnapshot()}: MongoDB), the
     * tenant is read-only while the export runs, as for a move, so that the archive is one instant's data.
     * The archive is written beside its final name and renamed last: a folder named {@code archive} is
     * always complete.
     *
     * @param archive a folder that does not exist yet; its parent is created if missing
     * @return the archive's manifest
     * @throws TenantLifecycleException if {@code archive} exists, an operation on the tenant is unfinished, or
     *     the export fails (then nothing is left of it and the tenant's status is back)
     */
    public TenantArchive.Manifest export(TenantId tenant, Path archive, LifecycleProgress.Listener listener) {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(listener, "listener");
        Tenant current = directory.require(tenant);
        if (current.status() == TenantStatus.DELETED) {
            throw new TenantLifecycleException("Tenant \"" + tenant + "\" is deleted; there is nothing to export.");
        }
        if (Files.exists(archive)) {
            throw new TenantLifecycleException("Cannot export tenant \"" + tenant + "\" to \"" + archive + "\": it"
                    + " exists. An export never overwrites; name a new folder.");
        }
        refuseIfBusy(tenant);
        Placement placement = router.route(current);
        TenantDataStore store = storeFor(placement);
        String format = store.archiveFormat();
        LifecycleOperation op = LifecycleOperation.start(Kind.EXPORT, tenant, placement, null, null,
                archive.toAbsolutePath().toString(), current.status());
        journal.save(op);
        LOG.info("Exporting tenant {} at {} to {}", tenant, placement, archive);
        Path partial = TenantArchive.partial(archive.toAbsolutePath(), op.id());
        Copy copy;
        TenantArchive.Manifest manifest;
        try {
            if (!store.readsSnapshot() && current.status().allowsWrites()) {
                setStatus(tenant, TenantStatus.READ_ONLY);
                sleep(settle);
            }
            op = step(op, Step.READ_ONLY);
            copy = new Copy(op, listener);
            try (TenantArchive.FolderWriter writer = new TenantArchive.FolderWriter(partial, copy)) {
                store.export(tenant, placement, writer);
                manifest = writer.finish(format, current, placement);
            }
            TenantArchive.publish(partial, archive.toAbsolutePath());
            op = step(op, Step.COPIED);
        } catch (RuntimeException e) {
            try {
                endExport(op, store, "failed: " + e.getMessage());
            } catch (RuntimeException again) {
                e.addSuppressed(again);
                throw e;
            }
            throw new TenantLifecycleException(failed(e, "Exporting tenant \"" + tenant + "\" failed: ")
                    + " Nothing of the archive was kept, and the tenant's status is back.", e);
        }
        op = endExport(op, store, "");
        listener.progress(copy.report(op));
        return manifest;
    }

    /**
     * Ends an export: restores the status it changed; keeps the archive if it was published (DONE), deletes
     * its unfinished folder otherwise (ROLLED_BACK).
     */
    private LifecycleOperation endExport(LifecycleOperation op, TenantDataStore store, String why) {
        Path archive = Path.of(Objects.requireNonNull(op.archive(), "archive"));
        boolean complete = Files.isRegularFile(archive.resolve(TenantArchive.MANIFEST))
                && op.step().compareTo(Step.READ_ONLY) >= 0;
        TenantArchive.deleteFolder(TenantArchive.partial(archive, op.id()));
        directory.find(op.tenant()).ifPresent(t -> {
            if (!store.readsSnapshot() && t.status() == TenantStatus.READ_ONLY
                    && op.previousStatus() != TenantStatus.READ_ONLY) {
                directory.update(t.toBuilder().status(op.previousStatus()).build());
            }
        });
        if (complete) {
            audit(AuditEvent.Kind.TENANT_EXPORTED, op.tenant(), "exported from " + op.from() + " to " + archive);
            LifecycleOperation done = step(op, Step.DONE);
            LOG.info("Exported tenant {} to {}", op.tenant(), archive);
            return done;
        }
        LifecycleOperation undone = op.at(Step.ROLLED_BACK, why);
        audit(AuditEvent.Kind.LIFECYCLE_ROLLED_BACK, op.tenant(), "export to " + archive + " undone: " + why);
        journal.save(undone);
        LOG.warn("Export of tenant {} to {} undone: {}", op.tenant(), archive, why);
        return undone;
    }

    /**
     * Registers {@code tenant} with the data of the archive at {@code archive}: provisions its placement (the
     * one the router gives {@code tenant}, of any model, on a store of the adapter that wrote the archive),
     * writes the data there streaming, and admits the tenant (with {@code tenant}'s status) only once the
     * data's digest equals the manifest's. Until then the tenant is in the directory as suspended. The
     * archive's tenant id need not be {@code tenant}'s: {@code TenantArchive.read(archive).tenant()} gives
     * the tenant as exported, to import as it was or under another id.
     *
     * @return the tenant as stored
     * @throws TenantLifecycleException if the archive is not complete or was written by another adapter, the
     *     tenant exists, its placement holds data of it already, or the data does not verify or cannot be
     *     written (then the import is undone: the data erased, the entry removed)
     */
    public Tenant importTenant(Path archive, Tenant tenant, LifecycleProgress.Listener listener) {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(listener, "listener");
        TenantArchive.Manifest manifest = TenantArchive.read(archive);
        if (tenant.status() == TenantStatus.DELETED) {
            throw new TenantLifecycleException("Cannot import tenant \"" + tenant.id() + "\" as deleted; give it the"
                    + " status it should have once imported.");
        }
        Placement placement = router.route(tenant);
        TenantDataStore store = storeFor(placement);
        if (!store.archiveFormat().equals(manifest.dataFormat())) {
            throw new TenantLifecycleException("Archive \"" + archive + "\" holds " + manifest.dataFormat()
                    + " data, and tenant \"" + tenant.id() + "\"'s placement " + placement + " takes "
                    + store.archiveFormat() + ": an archive imports into a placement of the adapter that wrote it.");
        }
        if (directory.find(tenant.id()).isPresent()) {
            throw new TenantLifecycleException("Cannot import tenant \"" + tenant.id() + "\": it exists. Delete it"
                    + " first, or import the archive under another id.");
        }
        refuseIfBusy(tenant.id());
        TenantDigest there = store.digest(tenant.id(), placement);
        if (!there.resources().isEmpty()) {
            throw new TenantLifecycleException("Cannot import tenant \"" + tenant.id() + "\" at " + placement + ": data"
                    + " of it is there already (" + there.resources().keySet() + "), although it is not in the"
                    + " directory. Nothing was changed; inspect and erase that data, or import under another id.");
        }
        LifecycleOperation op = LifecycleOperation.start(Kind.IMPORT, tenant.id(), placement, null, null,
                archive.toAbsolutePath().toString(), tenant.status());
        journal.save(op);
        LOG.info("Importing tenant {} from {} into {}", tenant.id(), archive, placement);
        Copy copy;
        List<String> differences;
        try {
            directory.register(tenant.toBuilder().status(TenantStatus.SUSPENDED).build());
            op = step(op, Step.SEALED);
            store.provision(tenant.id(), placement);
            copy = new Copy(op, listener);
            copy.total = manifest.totalCount();
            store.importArchive(tenant.id(), placement, new TenantArchive.FolderReader(archive, manifest), copy);
            op = step(op, Step.COPIED);
            differences = manifest.digest().differences(store.digest(tenant.id(), placement));
        } catch (RuntimeException e) {
            try {
                rollBackImport(op, store, "failed: " + e.getMessage());
            } catch (RuntimeException again) {
                e.addSuppressed(again);
                throw e;
            }
            throw new TenantLifecycleException(failed(e, "Importing tenant \"" + tenant.id() + "\" from \"" + archive
                    + "\" failed: ") + " It was undone: nothing of it is left.", e);
        }
        if (!differences.isEmpty()) {
            String why = "the data written does not match the manifest: " + String.join("; ", differences);
            rollBackImport(op, store, why);
            throw new TenantLifecycleException("Importing tenant \"" + tenant.id() + "\" from \"" + archive
                    + "\" failed: " + why + ". It was undone: nothing of it is left.");
        }
        op = step(op, Step.VERIFIED);
        listener.progress(copy.report(op));
        return finishImport(op);
    }

    /** A deleted tenant's quota counts go with its data, so that a tenant registered later under its id starts afresh. */
    private void forgetCounts(TenantId tenant) {
        if (quotas != null) {
            quotas.forget(tenant);
        }
    }

    /** An adapter's lifecycle failure names the operation already; others get {@code prefix}. */
    private static String failed(RuntimeException e, String prefix) {
        return e instanceof TenantLifecycleException ? e.getMessage() : prefix + e.getMessage();
    }

    private Tenant finishImport(LifecycleOperation op) {
        Tenant imported = setStatus(op.tenant(), op.previousStatus());
        audit(AuditEvent.Kind.TENANT_IMPORTED, op.tenant(), "imported from " + op.archive() + " into " + op.from());
        step(op, Step.DONE);
        LOG.info("Imported tenant {} from {} into {}", op.tenant(), op.archive(), op.from());
        return imported;
    }

    /**
     * Undoes an import: erases what it wrote and removes the entry it registered (suspended until the import
     * ends, so a suspended entry is the import's own).
     */
    private void rollBackImport(LifecycleOperation op, TenantDataStore store, String why) {
        Tenant registered = directory.find(op.tenant()).orElse(null);
        if (registered != null && registered.status() != TenantStatus.SUSPENDED) {
            throw new TenantLifecycleException("Will not undo the import " + op.id() + " of tenant \"" + op.tenant()
                    + "\": its directory entry is " + registered.status() + ", so it was admitted or changed since."
                    + " Nothing was erased. " + why);
        }
        if (registered != null || op.step() != Step.STARTED) {
            store.erase(op.tenant(), op.from());
            forgetCounts(op.tenant());
        }
        if (registered != null) {
            directory.remove(op.tenant());
        }
        audit(AuditEvent.Kind.LIFECYCLE_ROLLED_BACK, op.tenant(), "import from " + op.archive() + " undone: " + why);
        journal.save(op.at(Step.ROLLED_BACK, why));
        LOG.warn("Import of tenant {} from {} undone: {}", op.tenant(), op.archive(), why);
    }

    /**
     * Runs {@code operation} on each of {@code tenants}, at most {@code parallelism} at a time, each on a
     * thread of its own outside any tenant scope (lifecycle operations are operator actions), and waits for
     * all of them. A failure of one does not stop the others; a line is logged as each ends.
     *
     * <pre>{@code
     * Map<TenantId, RuntimeException> failed = lifecycle.forEach(trialTenants, 4,
     *         id -> lifecycle.changeTier(id, "pro", LifecycleProgress.Listener.none()));
     * }</pre>
     *
     * @param parallelism how many operations run at once, at least 1: each holds connections of the source
     *     and the target store while it copies, so keep it under the stores' pool budgets
     * @return the failures by tenant, in the order of {@code tenants}; empty when all succeeded
     * @throws TenantLifecycleException if interrupted while waiting; operations not started are not started,
     *     those running are left to finish
     */
    public Map<TenantId, RuntimeException> forEach(Collection<TenantId> tenants, int parallelism,
            Consumer<TenantId> operation) {
        Objects.requireNonNull(operation, "operation");
        List<TenantId> ids = List.copyOf(tenants);
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, ids.size())), r -> {
            Thread thread = new Thread(r, "tenantry-lifecycle-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger ended = new AtomicInteger();
        Map<TenantId, Future<RuntimeException>> running = new LinkedHashMap<>();
        try {
            for (TenantId id : ids) {
                running.put(id, pool.submit(() -> {
                    RuntimeException failure = null;
                    try {
                        operation.accept(id);
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                    int n = ended.incrementAndGet();
                    if (failure == null) {
                        LOG.info("Lifecycle batch: tenant {} done ({} of {})", id, n, ids.size());
                    } else {
                        LOG.warn("Lifecycle batch: tenant {} failed ({} of {}): {}", id, n, ids.size(),
                                failure.getMessage());
                    }
                    return failure;
                }));
            }
            Map<TenantId, RuntimeException> failures = new LinkedHashMap<>();
            for (Map.Entry<TenantId, Future<RuntimeException>> entry : running.entrySet()) {
                RuntimeException failure = entry.getValue().get();
                if (failure != null) {
                    failures.put(entry.getKey(), failure);
                }
            }
            return failures;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TenantLifecycleException("Interrupted after " + ended.get() + " of " + ids.size() + " tenant(s);"
                    + " the operations not started were not started.", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Finishes or undoes every operation left unfinished in the journal, by a crash or a failure: moves
     * that had not switched the tenant over are undone, the others and every deletion and creation are
     * finished; exports whose archive is complete are finished and the others undone; imports that were
     * verified are finished and the others undone.
     *
     * @return the operations as they ended
     */
    public List<LifecycleOperation> recover() {
        List<LifecycleOperation> ended = new ArrayList<>();
        for (LifecycleOperation op : journal.unfinished()) {
            TenantDataStore store = storeFor(op.from());
            LOG.info("Recovering {} of tenant {} left at step {}", op.kind(), op.tenant(), op.step());
            switch (op.kind()) {
                case CREATE -> {
                    if (op.step() == Step.STARTED && directory.find(op.tenant()).isEmpty()) {
                        journal.save(op.at(Step.ROLLED_BACK, "interrupted before registration"));
                    } else {
                        finishCreate(op, store);
                    }
                }
                case DELETE -> finishDelete(op, store);
                case EXPORT -> endExport(op, store, "interrupted at step " + op.step());
                case IMPORT -> {
                    if (op.step() == Step.VERIFIED) {
                        finishImport(op);
                    } else {
                        rollBackImport(op, store, "interrupted at step " + op.step());
                    }
                }
                default -> {
                    if (op.step() == Step.FLIPPED) {
                        finishMove(op, store);
                    } else if (!routesToTarget(op)) {
                        rollBack(op, store, "interrupted at step " + op.step());
                    } else if (op.step() == Step.VERIFIED) {
                        finishMove(step(op, Step.FLIPPED), store); // switched over; the journal missed it
                    } else {
                        throw new TenantLifecycleException("Cannot recover the move " + op.id() + " of tenant \""
                                + op.tenant() + "\": the directory routes it to the target " + op.to()
                                + " although the copy was never verified (step " + op.step() + "), so someone changed"
                                + " its placement or tier meanwhile. Nothing was erased. Compare both placements,"
                                + " then pin the right one and mark the operation ended in the journal.");
                    }
                }
            }
            ended.add(journal.all().stream().filter(o -> o.id().equals(op.id())).findFirst().orElse(op));
        }
        return ended;
    }

    /** Whether the directory routes the tenant to the move's target; then the target must never be erased. */
    private boolean routesToTarget(LifecycleOperation op) {
        return directory.find(op.tenant()).map(t -> router.route(t).equals(op.to())).orElse(false);
    }

    /** Returns the journal's operations, ended ones included, oldest first. */
    public List<LifecycleOperation> operations() {
        return journal.all();
    }

    private void refuseIfBusy(TenantId tenant) {
        for (LifecycleOperation op : journal.unfinished()) {
            if (op.tenant().equals(tenant)) {
                throw new TenantLifecycleException("Tenant \"" + tenant + "\" has an unfinished " + op.kind() + " ("
                        + op.id() + ", at step " + op.step() + ", started " + op.startedAt() + "). Wait for it, or"
                        + " if its process died, call TenantLifecycle.recover() to finish or undo it.");
            }
        }
    }

    private TenantDataStore storeFor(Placement placement) {
        for (TenantDataStore store : stores) {
            if (store.serves(placement)) {
                return store;
            }
        }
        throw new RoutingException("No adapter of this lifecycle serves " + placement + ": add the adapter's"
                + " TenantDataStore, or check the placement's store name.");
    }

    private Tenant setStatus(TenantId tenant, TenantStatus status) {
        Tenant current = directory.require(tenant);
        return current.status() == status ? current : directory.update(current.toBuilder().status(status).build());
    }

    private LifecycleOperation step(LifecycleOperation op, Step next) {
        LifecycleOperation at = op.at(next);
        journal.save(at);
        return at;
    }

    private static void audit(AuditEvent.Kind kind, TenantId tenant, String detail) {
        TenantContext.audit(new AuditEvent(kind, tenant, detail));
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TenantLifecycleException("Interrupted while waiting for directory caches to see a read-only"
                    + " tenant; the operation is journaled, call recover() to undo it.", e);
        }
    }

    /** Counts a copy's progress and reports it. */
    private static final class Copy implements TenantDataStore.CopyProgress {
        private final LifecycleOperation op;
        private final LifecycleProgress.Listener listener;
        private final long started = System.nanoTime();
        private final AtomicLong items = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private volatile long total = -1;
        private volatile long logged = System.nanoTime();

        Copy(LifecycleOperation op, LifecycleProgress.Listener listener) {
            this.op = op;
            this.listener = listener;
        }

        @Override
        public void copied(String resource, long count, long size) {
            items.addAndGet(count);
            bytes.addAndGet(size);
            LifecycleProgress progress = new LifecycleProgress(op, resource, items.get(), total, bytes.get(),
                    Duration.ofNanos(System.nanoTime() - started));
            listener.progress(progress);
            if (System.nanoTime() - logged > 5_000_000_000L) {
                logged = System.nanoTime();
                LOG.info("{} tenant {}: {} of {} item(s), {} bytes, {}/s, about {} left", verb(op.kind()), op.tenant(),
                        progress.items(), progress.totalItems(), progress.bytes(), (long) progress.itemsPerSecond(),
                        progress.estimatedTimeLeft().map(Duration::toString).orElse("?"));
            }
        }

        private static String verb(Kind kind) {
            return switch (kind) {
                case EXPORT -> "Exporting";
                case IMPORT -> "Importing";
                default -> "Moving";
            };
        }

        LifecycleProgress report(LifecycleOperation at) {
            return new LifecycleProgress(at, null, items.get(), total, bytes.get(),
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** Configures a {@link TenantLifecycle}. Not thread-safe. */
    public static final class Builder {
        private final TenantDirectory directory;
        private final TenantRouter router;
        private final List<TenantDataStore> stores = new ArrayList<>();
        private LifecycleJournal journal = LifecycleJournal.inMemory();
        private Duration settle = Duration.ZERO;
        private @Nullable TenantQuotas quotas;

        private Builder(TenantDirectory directory, TenantRouter router) {
            this.directory = Objects.requireNonNull(directory, "directory");
            this.router = Objects.requireNonNull(router, "router");
        }

        /** Adds an adapter's data store; placements go to the first store that serves them. */
        public Builder store(TenantDataStore store) {
            stores.add(Objects.requireNonNull(store, "store"));
            return this;
        }

        /** Sets the journal (default: in memory, which does not survive the process). */
        public Builder journal(LifecycleJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /**
         * Sets how long a move waits after making a tenant read-only before it reads the source: the longest
         * time any process may serve a cached, still-writable entry of the tenant, that is the directory
         * cache's TTL (default 0, right for one process whose directory is not cached or is invalidated by
         * the lifecycle's own updates).
         */
        public Builder settle(Duration settle) {
            if (Objects.requireNonNull(settle, "settle").isNegative()) {
                throw new IllegalArgumentException("settle must not be negative, was " + settle);
            }
            this.settle = settle;
            return this;
        }

        /**
         * Sets the quotas whose counts a deletion (or an undone import) forgets with the tenant's data; without
         * them, a tenant registered later under a deleted one's id would inherit its counts until reconciled.
         */
        public Builder quotas(TenantQuotas quotas) {
            this.quotas = Objects.requireNonNull(quotas, "quotas");
            return this;
        }

        /** Builds the lifecycle. @throws IllegalStateException if no data store was added */
        public TenantLifecycle build() {
            return new TenantLifecycle(this);
        }
    }
}
