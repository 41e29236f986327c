package io.tenantry.jdbc;

import io.tenantry.LifecycleOperation;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantDigest;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.spi.LifecycleJournal;
import io.tenantry.spi.TenantDataStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a lifecycle "process" dies in the crash suites: wrappers of the directory, the journal and the data
 * store that count events (before and after each write, each store call, each copied batch) and throw
 * {@link Crash} at the chosen one, as core's {@code TenantLifecycleCrashPropertiesTest} does.
 */
final class Fuses {

    /**
     * Thrown where the process dies: an {@link Error}, which the lifecycle does not catch, as nothing runs in a
     * killed process (a {@link RuntimeException} is a failure it undoes at once).
     */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("the process died here");
        }
    }

    private final int crashAt;
    private final AtomicInteger events = new AtomicInteger();

    /** Dies at event {@code crashAt}, counting from 0; a number past the last event means no crash. */
    Fuses(int crashAt) {
        this.crashAt = crashAt;
    }

    /** Counts one event, and dies if it is the chosen one. */
    void tick() {
        if (events.getAndIncrement() == crashAt) {
            throw new Crash();
        }
    }

    int events() {
        return events.get();
    }

    TenantDirectory directory(TenantDirectory directory) {
        return new TenantDirectory() {
            @Override
            public Optional<Tenant> find(TenantId id) {
                return directory.find(id);
            }

            @Override
            public List<Tenant> list() {
                return directory.list();
            }

            @Override
            public Tenant register(Tenant tenant) {
                tick();
                Tenant stored = directory.register(tenant);
                tick();
                return stored;
            }

            @Override
            public Tenant update(Tenant tenant) {
                tick();
                Tenant stored = directory.update(tenant);
                tick();
                return stored;
            }

            @Override
            public void remove(TenantId id) {
                tick();
                directory.remove(id);
                tick();
            }
        };
    }

    LifecycleJournal journal(LifecycleJournal journal) {
        return new LifecycleJournal() {
            @Override
            public void save(LifecycleOperation operation) {
                tick();
                journal.save(operation);
                tick();
            }

            @Override
            public List<LifecycleOperation> unfinished() {
                return journal.unfinished();
            }

            @Override
            public List<LifecycleOperation> all() {
                return journal.all();
            }
        };
    }

    TenantDataStore store(TenantDataStore store) {
        return new TenantDataStore() {
            @Override
            public boolean serves(Placement placement) {
                return store.serves(placement);
            }

            @Override
            public void provision(TenantId tenant, Placement placement) {
                tick();
                store.provision(tenant, placement);
                tick();
            }

            @Override
            public void copy(TenantId tenant, Placement from, Placement to, CopyProgress progress) {
                tick();
                store.copy(tenant, from, to, (resource, items, bytes) -> {
                    progress.copied(resource, items, bytes);
                    tick(); // between batches, inside the target's open transaction
                });
                tick();
            }

            @Override
            public TenantDigest digest(TenantId tenant, Placement placement) {
                tick();
                return store.digest(tenant, placement);
            }

            @Override
            public void erase(TenantId tenant, Placement placement) {
                tick();
                store.erase(tenant, placement);
                tick();
            }

            @Override
            public String archiveFormat() {
                return store.archiveFormat();
            }

            @Override
            public boolean readsSnapshot() {
                return store.readsSnapshot();
            }

            @Override
            public void export(TenantId tenant, Placement placement, ArchiveWriter archive) {
                tick();
                store.export(tenant, placement, (name, fields, indexes) -> {
                    tick(); // before each table
                    ResourceWriter out = archive.resource(name, fields, indexes);
                    int[] items = new int[1];
                    return (line, canonical) -> {
                        if (items[0]++ % 3 == 2) {
                            tick(); // between rows
                        }
                        out.item(line, canonical);
                    };
                });
                tick();
            }

            @Override
            public void importArchive(TenantId tenant, Placement placement, ArchiveReader archive,
                    CopyProgress progress) {
                tick();
                store.importArchive(tenant, placement, archive, (resource, items, bytes) -> {
                    progress.copied(resource, items, bytes);
                    tick(); // between batches, inside the placement's open transaction
                });
                tick();
            }
        };
    }
}
