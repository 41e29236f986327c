package io.tenantry;

import io.tenantry.spi.TenantDataStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link TenantDataStore} over maps, for the lifecycle's own tests: items are strings, resources
 * named lists of them. {@link #fuse} runs before every step of every call, which is where tests make the
 * "process" die.
 */
class MemoryDataStore implements TenantDataStore {

    final Map<Placement, Map<TenantId, Map<String, List<String>>>> data = new ConcurrentHashMap<>();
    volatile Runnable fuse = () -> { };
    volatile boolean dropOneItemOnCopy;
    volatile boolean dropOneItemOnImport;

    void put(Placement placement, TenantId tenant, String resource, List<String> items) {
        data.computeIfAbsent(placement, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(tenant, t -> new TreeMap<>()).put(resource, new ArrayList<>(items));
    }

    /** Returns the tenant's resources at {@code placement}, without empty ones. */
    Map<String, List<String>> at(Placement placement, TenantId tenant) {
        Map<String, List<String>> found = new TreeMap<>();
        data.getOrDefault(placement, Map.of()).getOrDefault(tenant, Map.of()).forEach((name, items) -> {
            if (!items.isEmpty()) {
                found.put(name, List.copyOf(items));
            }
        });
        return found;
    }

    @Override
    public boolean serves(Placement placement) {
        return true;
    }

    @Override
    public void provision(TenantId tenant, Placement placement) {
        fuse.run();
        data.computeIfAbsent(placement, p -> new ConcurrentHashMap<>()).computeIfAbsent(tenant, t -> new TreeMap<>());
    }

    @Override
    public void copy(TenantId tenant, Placement from, Placement to, CopyProgress progress) {
        fuse.run();
        Map<String, List<String>> source = at(from, tenant);
        boolean dropped = false;
        for (Map.Entry<String, List<String>> resource : source.entrySet()) {
            List<String> items = resource.getValue();
            for (int i = 0; i < items.size(); i += 2) {
                fuse.run();
                List<String> batch = new ArrayList<>(items.subList(i, Math.min(i + 2, items.size())));
                if (dropOneItemOnCopy && !dropped) {
                    batch.remove(0);
                    dropped = true;
                }
                data.computeIfAbsent(to, p -> new ConcurrentHashMap<>()).computeIfAbsent(tenant, t -> new TreeMap<>())
                        .computeIfAbsent(resource.getKey(), r -> new ArrayList<>()).addAll(batch);
                progress.copied(resource.getKey(), batch.size(), batch.stream().mapToLong(String::length).sum());
            }
        }
    }

    @Override
    public TenantDigest digest(TenantId tenant, Placement placement) {
        fuse.run();
        TenantDigest.Builder digest = TenantDigest.builder();
        at(placement, tenant).forEach((name, items) -> items.forEach(
                item -> digest.add(name, item.getBytes(StandardCharsets.UTF_8))));
        return digest.build();
    }

    @Override
    public String archiveFormat() {
        return "memory-lines/1";
    }

    /** Writes each item as its line, two items between fuses. */
    @Override
    public void export(TenantId tenant, Placement placement, ArchiveWriter archive) {
        fuse.run();
        for (Map.Entry<String, List<String>> resource : at(placement, tenant).entrySet()) {
            ResourceWriter out = archive.resource(resource.getKey(), List.of(), List.of());
            List<String> items = resource.getValue();
            for (int i = 0; i < items.size(); i++) {
                if (i % 2 == 0) {
                    fuse.run();
                }
                out.item(items.get(i), items.get(i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Reads each line as an item, two items between fuses. */
    @Override
    public void importArchive(TenantId tenant, Placement placement, ArchiveReader archive, CopyProgress progress) {
        fuse.run();
        boolean dropped = false;
        for (TenantArchive.Resource resource : archive.resources()) {
            try (ResourceReader in = archive.open(resource)) {
                int n = 0;
                for (String line = in.next(); line != null; line = in.next()) {
                    if (n++ % 2 == 0) {
                        fuse.run();
                    }
                    if (dropOneItemOnImport && !dropped) {
                        dropped = true;
                        continue;
                    }
                    data.computeIfAbsent(placement, p -> new ConcurrentHashMap<>())
                            .computeIfAbsent(tenant, t -> new TreeMap<>())
                            .computeIfAbsent(resource.name(), r -> new ArrayList<>()).add(line);
                    progress.copied(resource.name(), 1, line.length());
                }
            }
        }
    }

    @Override
    public void erase(TenantId tenant, Placement placement) {
        fuse.run();
        Map<TenantId, Map<String, List<String>>> tenants = data.get(placement);
        if (tenants != null) {
            tenants.remove(tenant);
        }
    }
}
