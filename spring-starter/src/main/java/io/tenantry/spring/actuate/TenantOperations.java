package io.tenantry.spring.actuate;

import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleProgress;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantArchive;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantLifecycleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The write side of the {@code tenants} endpoint: runs {@link TenantLifecycle} operations for an operator,
 * moves, exports and imports in the background (they take as long as the tenant's data), everything else
 * at once, and keeps the latest progress of each tenant's operation for the endpoint to show. Archives are
 * folders of one configured directory, named by the request; a name is a plain folder name, never a path.
 * Thread-safe.
 */
final class TenantOperations implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(TenantOperations.class);

    /** An archive's name: a plain folder name, so that a request cannot reach outside the archive directory. */
    private static final Pattern ARCHIVE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final TenantLifecycle lifecycle;
    private final @Nullable Path archives;
    private final ExecutorService background;
    private final Map<TenantId, LifecycleProgress> progress = new ConcurrentHashMap<>();
    private final Map<TenantId, CompletableFuture<?>> running = new ConcurrentHashMap<>();
    private final Map<TenantId, String> failures = new ConcurrentHashMap<>();

    TenantOperations(TenantLifecycle lifecycle) {
        this(lifecycle, null);
    }

    TenantOperations(TenantLifecycle lifecycle, @Nullable Path archives) {
        this.lifecycle = lifecycle;
        this.archives = archives == null ? null : archives.toAbsolutePath().normalize();
        AtomicInteger threads = new AtomicInteger();
        this.background = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "tenantry-lifecycle-op-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    Tenant create(Tenant tenant) {
        return lifecycle.create(tenant);
    }

    Tenant suspend(TenantId tenant) {
        return lifecycle.suspend(tenant);
    }

    Tenant resume(TenantId tenant) {
        return lifecycle.resume(tenant);
    }

    void delete(TenantId tenant) {
        lifecycle.delete(tenant);
    }

    /** Starts moving {@code tenant} to {@code target} (or to its {@code tier}'s placement) in the background. */
    CompletableFuture<LifecycleOperation> move(TenantId tenant, @Nullable Placement target, @Nullable String tier) {
        return inBackground(tenant, "Moving", listener -> target != null ? lifecycle.move(tenant, target, listener)
                : lifecycle.changeTier(tenant, java.util.Objects.requireNonNull(tier), listener));
    }

    /**
     * Starts exporting {@code tenant} in the background into archive {@code name} of the archive directory
     * ({@code <id>-<UTC time>} when null).
     *
     * @return the archive's folder
     * @throws TenantLifecycleException if no archive directory is configured, the name is not a plain folder
     *     name, or the archive exists
     */
    Path export(TenantId tenant, @Nullable String name) {
        Path archive = archive(name != null ? name
                : tenant.value() + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP));
        if (Files.exists(archive)) {
            throw new TenantLifecycleException("Archive \"" + archive.getFileName() + "\" exists; name another.");
        }
        inBackground(tenant, "Exporting", listener -> lifecycle.export(tenant, archive, listener));
        return archive;
    }

    /**
     * Reads archive {@code name}'s manifest, and starts importing it in the background as {@code tenant}, the
     * archive's tenant under {@code id} with the given overrides.
     *
     * @return the manifest
     * @throws TenantLifecycleException if no archive directory is configured, the name is not a plain folder
     *     name, or the archive is not complete
     */
    TenantArchive.Manifest importArchive(TenantId id, String name, Function<Tenant.Builder, Tenant> tenant) {
        Path archive = archive(name);
        TenantArchive.Manifest manifest = TenantArchive.read(archive);
        Tenant imported = tenant.apply(manifest.tenantAs(id));
        inBackground(id, "Importing", listener -> lifecycle.importTenant(archive, imported, listener));
        return manifest;
    }

    private Path archive(String name) {
        if (archives == null) {
            throw new TenantLifecycleException("Export and import over HTTP need tenantry.lifecycle.archive-directory:"
                    + " the folder where archives are written and read.");
        }
        if (!ARCHIVE_NAME.matcher(name).matches() || name.contains(".partial-")) {
            throw new TenantLifecycleException("\"" + name + "\" is not an archive name: use up to 128 letters, digits,"
                    + " '.', '_' and '-', starting with a letter or digit.");
        }
        return archives.resolve(name);
    }

    /** Runs one long operation of {@code tenant} on a background thread, one at a time per tenant. */
    private <T> CompletableFuture<T> inBackground(TenantId tenant, String verb,
            Function<LifecycleProgress.Listener, T> operation) {
        CompletableFuture<T> started = new CompletableFuture<>();
        CompletableFuture<?> previous = running.putIfAbsent(tenant, started);
        if (previous != null && !previous.isDone()) {
            throw new IllegalStateException("Tenant \"" + tenant + "\" has an operation running already; see its"
                    + " operation.");
        }
        running.put(tenant, started);
        failures.remove(tenant);
        progress.remove(tenant);
        LifecycleProgress.Listener listener = report -> progress.put(tenant, report);
        background.execute(() -> {
            try {
                started.complete(operation.apply(listener));
            } catch (RuntimeException e) {
                failures.put(tenant, String.valueOf(e.getMessage()));
                LOG.warn("{} tenant {} failed: {}", verb, tenant, e.getMessage());
                started.completeExceptionally(e);
            }
        });
        return started;
    }

    /** Returns the long operation of {@code tenant} this process started last, running or ended. */
    Optional<CompletableFuture<?>> running(TenantId tenant) {
        return Optional.ofNullable(running.get(tenant));
    }

    /** Returns the tenant's latest operation, with the live progress of a move. */
    Optional<TenantsEndpoint.OperationDescriptor> latest(TenantId tenant) {
        Optional<LifecycleOperation> journaled = lifecycle.operations().stream()
                .filter(op -> op.tenant().equals(tenant)).max(Comparator.comparing(LifecycleOperation::updatedAt));
        LifecycleProgress live = progress.get(tenant);
        String failure = failures.get(tenant);
        return journaled.map(op -> describe(op, live, failure));
    }

    static TenantsEndpoint.OperationDescriptor describe(LifecycleOperation op, @Nullable LifecycleProgress live,
            @Nullable String failure) {
        boolean same = live != null && live.operation().id().equals(op.id());
        return new TenantsEndpoint.OperationDescriptor(op.id(), op.kind().name(), op.step().name(),
                op.from().toString(), op.to() == null ? null : op.to().toString(),
                same ? live.items() : null, same && live.totalItems() >= 0 ? live.totalItems() : null,
                same ? live.bytes() : null, same ? Math.round(live.itemsPerSecond()) : null,
                same ? live.estimatedTimeLeft().map(Duration::toSeconds).orElse(null) : null,
                op.archive(), op.startedAt().toString(), op.updatedAt().toString(),
                op.detail().isEmpty() ? null : op.detail(), op.step().terminal() ? null : failure);
    }

    @Override
    public void destroy() {
        background.shutdownNow();
    }
}
