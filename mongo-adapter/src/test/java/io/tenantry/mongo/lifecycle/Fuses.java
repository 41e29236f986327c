package io.tenantry.mongo.lifecycle;

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
 * Where the lifecycle's process "dies": wrappers of the directory, the journal and the data store that
 * count events (before and after each write, store call and copied batch) and throw {@link Crash} at the
 * chosen one, abandoning the operation as a killed process would.
 */
final class Fuses {

    /** Thrown where the process dies. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash(int event) {
            super("the process died at event " + event);
        }
    }

    /** Counts events; throws {@link Crash} at event {@code crashAt} (never if negative). */
    static final class Fuse implements Runnable {
        private final int crashAt;
        private final AtomicInteger events = new AtomicInteger();

        Fuse(int crashAt) {
            this.crashAt = crashAt;
        }

        @Override
        public void run() {
            int event = events.getAndIncrement();
            if (event == crashAt) {
                throw new Crash(event);
            }
        }

        int events() {
            return events.get();
        }
    }

    private Fuses() {
    }

    static TenantDirectory directory(TenantDirectory directory, Runnable fuse) {
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
                fuse.run();
                Tenant stored = directory.register(tenant);
                fuse.run();
                return stored;
            }

            @Override
            public Tenant update(Tenant tenant) {
                fuse.run();
                Tenant stored = directory.update(tenant);
                fuse.run();
                return stored;
            }

            @Override
            public void remove(TenantId id) {
                fuse.run();
                directory.remove(id);
                fuse.run();
            }
        };
    }

    static LifecycleJournal journal(LifecycleJournal journal, Runnable fuse) {
        return new LifecycleJournal() {
            @Override
            public void save(LifecycleOperation operation) {
                fuse.run();
                journal.save(operation);
                fuse.run();
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

    static TenantDataStore store(TenantDataStore store, Runnable fuse) {
        return new TenantDataStore() {
            @Override
            public boolean serves(Placement placement) {
                return store.serves(placement);
            }

            @Override
            public void provision(TenantId tenant, Placement placement) {
                fuse.run();
                store.provision(tenant, placement);
                fuse.run();
            }

            @Override
            public void copy(TenantId tenant, Placement from, Placement to, CopyProgress progress) {
                fuse.run();
                store.copy(tenant, from, to, (resource, items, bytes) -> {
                    fuse.run(); // after a batch was written, before the next one
                    progress.copied(resource, items, bytes);
                });
                fuse.run();
            }

            @Override
            public TenantDigest digest(TenantId tenant, Placement placement) {
                fuse.run();
                TenantDigest digest = store.digest(tenant, placement);
                fuse.run();
                return digest;
            }

            @Override
            public void erase(TenantId tenant, Placement placement) {
                fuse.run();
                store.erase(tenant, placement);
                fuse.run();
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
                fuse.run();
                store.export(tenant, placement, (name, fields, indexes) -> {
                    fuse.run(); // before each collection or table
                    ResourceWriter out = archive.resource(name, fields, indexes);
                    int[] items = new int[1];
                    return (line, canonical) -> {
                        if (items[0]++ % 3 == 2) {
                            fuse.run(); // between items
                        }
                        out.item(line, canonical);
                    };
                });
                fuse.run();
            }

            @Override
            public void importArchive(TenantId tenant, Placement placement, ArchiveReader archive,
                    CopyProgress progress) {
                fuse.run();
                store.importArchive(tenant, placement, archive, (resource, items, bytes) -> {
                    fuse.run(); // after a batch was written, before the next one
                    progress.copied(resource, items, bytes);
                });
                fuse.run();
            }
        };
    }
}
