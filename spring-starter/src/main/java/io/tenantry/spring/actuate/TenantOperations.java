package io.tenantry.spring.actuate;

import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleProgress;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The write side of the {@code tenants} endpoint: runs {@link TenantLifecycle} operations for an operator,
 * moves in the background (they take as long as the tenant's data), everything else at once, and keeps the
 * latest progress of each tenant's move for the endpoint to show. Thread-safe.
 */
final class TenantOperations implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(TenantOperations.class);

    private final TenantLifecycle lifecycle;
    private final ExecutorService moves;
    private final Map<TenantId, LifecycleProgress> progress = new ConcurrentHashMap<>();
    private final Map<TenantId, CompletableFuture<LifecycleOperation>> running = new ConcurrentHashMap<>();
    private final Map<TenantId, String> failures = new ConcurrentHashMap<>();

    TenantOperations(TenantLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        AtomicInteger threads = new AtomicInteger();
        this.moves = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "tenantry-move-" + threads.incrementAndGet());
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
        CompletableFuture<LifecycleOperation> started = new CompletableFuture<>();
        CompletableFuture<LifecycleOperation> previous = running.putIfAbsent(tenant, started);
        if (previous != null && !previous.isDone()) {
            throw new IllegalStateException("Tenant \"" + tenant + "\" is being moved already; see its operation.");
        }
        running.put(tenant, started);
        failures.remove(tenant);
        progress.remove(tenant);
        LifecycleProgress.Listener listener = report -> progress.put(tenant, report);
        moves.execute(() -> {
            try {
                started.complete(target != null ? lifecycle.move(tenant, target, listener)
                        : lifecycle.changeTier(tenant, java.util.Objects.requireNonNull(tier), listener));
            } catch (RuntimeException e) {
                failures.put(tenant, String.valueOf(e.getMessage()));
                LOG.warn("Moving tenant {} failed: {}", tenant, e.getMessage());
                started.completeExceptionally(e);
            }
        });
        return started;
    }

    /** Returns the move of {@code tenant} this process started last, running or ended. */
    Optional<CompletableFuture<LifecycleOperation>> move(TenantId tenant) {
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
                op.startedAt().toString(), op.updatedAt().toString(), op.detail().isEmpty() ? null : op.detail(),
                op.step().terminal() ? null : failure);
    }

    @Override
    public void destroy() {
        moves.shutdownNow();
    }
}
