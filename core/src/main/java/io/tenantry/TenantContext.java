package io.tenantry;

import io.tenantry.spi.AuditSink;
import io.tenantry.spi.TenantSwitchGuard;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Which tenant the current code runs for.
 *
 * <p>A tenant is bound to the current thread for a scope: {@link #open(TenantId)} in
 * try-with-resources, or {@link #runAs}/{@link #callAs}. Scopes nest, and closing one restores the
 * outer binding, also when the body throws. {@link #current()} <b>fails closed</b>: with no tenant
 * bound it throws {@link NoTenantBoundException}, never returns a default.
 *
 * <p>The binding is a plain {@link ThreadLocal}, deliberately not an {@code InheritableThreadLocal}
 * (which would copy a request's tenant into pool threads created during it and leave it there). Work
 * handed to another thread carries the tenant only when it is wrapped: {@link #wrap(Runnable)},
 * {@link #wrap(Callable)}, {@link #wrapSupplier}, {@link #wrapFunction}, {@link #wrapConsumer},
 * {@link #wrapBiFunction}, or an executor from {@link #propagating(Executor)}. A wrapped task runs
 * with exactly the binding captured when it was wrapped (none, if none was bound), and the worker
 * thread gets its own binding back afterwards. Works on platform and virtual threads alike.
 *
 * <p>The bound tenant is mirrored into the SLF4J {@link MDC} under {@value #MDC_KEY} (the system
 * scope as {@value #MDC_SYSTEM}), and removed when the binding ends.
 *
 * <p>A <em>system scope</em>, {@link #openSystem(String)}, is an explicit, audited binding for
 * cross-tenant administration; it binds no tenant, so tenant-scoped handles still refuse to work in it.
 *
 * <p>All methods are thread-safe and affect only the calling thread.
 */
public final class TenantContext {

    /** The SLF4J MDC key holding the bound tenant id. */
    public static final String MDC_KEY = "tenantId";

    /** The MDC value while a system scope is bound. */
    public static final String MDC_SYSTEM = "*system*";

    private static final ThreadLocal<Frame> CURRENT = new ThreadLocal<>();
    private static volatile AuditSink auditSink = AuditSink.slf4j();
    private static final CopyOnWriteArrayList<TenantSwitchGuard> GUARDS = new CopyOnWriteArrayList<>();

    private TenantContext() {
    }

    /** One binding; immutable, so that a captured frame can be installed on any thread. */
    static final class Frame {
        final @Nullable TenantId tenant;
        final @Nullable String systemReason;
        final @Nullable Frame outer;

        Frame(@Nullable TenantId tenant, @Nullable String systemReason, @Nullable Frame outer) {
            this.tenant = tenant;
            this.systemReason = systemReason;
            this.outer = outer;
        }
    }

    /**
     * Binds {@code tenant} to the current thread until the returned scope is closed.
     *
     * @param tenant the tenant to bind
     * @return the scope; close it (try-with-resources) to restore the previous binding
     * @throws RuntimeException what a {@link TenantSwitchGuard} throws to refuse replacing another
     *     bound tenant; nothing is bound then
     */
    public static TenantScope open(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        Frame outer = CURRENT.get();
        if (outer != null && outer.tenant != null && !outer.tenant.equals(tenant)) {
            checkSwitch(outer.tenant, tenant, null);
        }
        Frame frame = new Frame(tenant, null, outer);
        install(frame);
        return new TenantScope(frame);
    }

    /**
     * Opens a system scope for cross-tenant administration (fan-out jobs, migrations, writes to
     * shared reference data). It binds no tenant. Opening and closing it emit
     * {@link AuditEvent.Kind#SYSTEM_SCOPE_OPENED}/{@code CLOSED} events with {@code reason}.
     *
     * @param reason why cross-tenant access is needed, for the audit trail; must not be blank
     * @return the scope
     * @throws IllegalArgumentException if {@code reason} is blank
     * @throws RuntimeException what a {@link TenantSwitchGuard} throws to refuse replacing a bound tenant
     */
    public static TenantScope openSystem(String reason) {
        if (Objects.requireNonNull(reason, "reason").isBlank()) {
            throw new IllegalArgumentException("A system scope needs a reason for the audit trail, for example"
                    + " \"nightly usage report\".");
        }
        Frame outer = CURRENT.get();
        if (outer != null && outer.tenant != null) {
            checkSwitch(outer.tenant, null, reason);
        }
        Frame frame = new Frame(null, reason, outer);
        install(frame);
        audit(new AuditEvent(AuditEvent.Kind.SYSTEM_SCOPE_OPENED, null, reason));
        return new TenantScope(frame);
    }

    /**
     * Returns the tenant bound to the current thread.
     *
     * @throws NoTenantBoundException if none is bound (also inside a system scope)
     */
    public static TenantId current() {
        Frame frame = CURRENT.get();
        if (frame == null || frame.tenant == null) {
            throw new NoTenantBoundException(frame == null
                    ? "No tenant is bound to thread \"" + Thread.currentThread().getName() + "\". Bind one with"
                            + " TenantContext.open(...)/runAs(...), or wrap work handed to other threads with"
                            + " TenantContext.wrap(...)/propagating(executor)."
                    : "A system scope (\"" + frame.systemReason + "\") is bound, not a tenant: open a tenant scope"
                            + " inside it with TenantContext.runAs(tenant, ...) to act for one tenant.");
        }
        return frame.tenant;
    }

    /** Returns the tenant bound to the current thread, or empty if none is. */
    public static Optional<TenantId> find() {
        Frame frame = CURRENT.get();
        return frame == null ? Optional.empty() : Optional.ofNullable(frame.tenant);
    }

    /** Returns whether the innermost binding of the current thread is a system scope. */
    public static boolean isSystem() {
        Frame frame = CURRENT.get();
        return frame != null && frame.systemReason != null;
    }

    /** Runs {@code body} with {@code tenant} bound, then restores the previous binding. */
    public static <E extends Exception> void runAs(TenantId tenant, ThrowingRunnable<E> body) throws E {
        TenantScope scope = open(tenant);
        try {
            body.run();
        } finally {
            scope.close();
        }
    }

    /** Calls {@code body} with {@code tenant} bound, then restores the previous binding. */
    public static <T, E extends Exception> T callAs(TenantId tenant, ThrowingSupplier<T, E> body) throws E {
        TenantScope scope = open(tenant);
        try {
            return body.get();
        } finally {
            scope.close();
        }
    }

    /** A {@link Runnable} that may throw {@code E}; lets {@link #runAs} pass checked exceptions through. */
    @FunctionalInterface
    public interface ThrowingRunnable<E extends Exception> {
        void run() throws E;
    }

    /** A {@link Supplier} that may throw {@code E}; lets {@link #callAs} pass checked exceptions through. */
    @FunctionalInterface
    public interface ThrowingSupplier<T, E extends Exception> {
        T get() throws E;
    }

    /** Returns {@code task} bound to the binding of the calling thread at this moment. */
    public static Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        Frame captured = CURRENT.get();
        return () -> {
            Frame saved = swapIn(captured);
            try {
                task.run();
            } finally {
                install(saved);
            }
        };
    }

    /** Returns {@code task} bound to the binding of the calling thread at this moment. */
    public static <T> Callable<T> wrap(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Frame captured = CURRENT.get();
        return () -> {
            Frame saved = swapIn(captured);
            try {
                return task.call();
            } finally {
                install(saved);
            }
        };
    }

    /** Returns {@code supplier} bound to the current binding, for {@code CompletableFuture.supplyAsync}. */
    public static <T> Supplier<T> wrapSupplier(Supplier<T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        Frame captured = CURRENT.get();
        return () -> {
            Frame saved = swapIn(captured);
            try {
                return supplier.get();
            } finally {
                install(saved);
            }
        };
    }

    /** Returns {@code function} bound to the current binding, for {@code thenApplyAsync} and the like. */
    public static <T, R> Function<T, R> wrapFunction(Function<T, R> function) {
        Objects.requireNonNull(function, "function");
        Frame captured = CURRENT.get();
        return value -> {
            Frame saved = swapIn(captured);
            try {
                return function.apply(value);
            } finally {
                install(saved);
            }
        };
    }

    /** Returns {@code consumer} bound to the current binding, for {@code thenAcceptAsync} and the like. */
    public static <T> Consumer<T> wrapConsumer(Consumer<T> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        Frame captured = CURRENT.get();
        return value -> {
            Frame saved = swapIn(captured);
            try {
                consumer.accept(value);
            } finally {
                install(saved);
            }
        };
    }

    /** Returns {@code function} bound to the current binding, for {@code thenCombineAsync} and {@code handleAsync}. */
    public static <T, U, R> BiFunction<T, U, R> wrapBiFunction(BiFunction<T, U, R> function) {
        Objects.requireNonNull(function, "function");
        Frame captured = CURRENT.get();
        return (left, right) -> {
            Frame saved = swapIn(captured);
            try {
                return function.apply(left, right);
            } finally {
                install(saved);
            }
        };
    }

    /**
     * Returns an executor that runs each task with the binding of the thread that submitted it.
     * Tasks submitted with no tenant bound run with no tenant bound.
     *
     * <p>In a {@code CompletableFuture} chain, a later {@code ...Async} stage is submitted by whichever
     * thread completed the stage before it, so a propagating executor gives it <em>that</em>
     * thread's binding. Wrap the stage's function instead ({@link #wrapFunction},
     * {@link #wrapConsumer}, ...), which captures the binding where the chain is built.
     */
    public static Executor propagating(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        if (executor instanceof ExecutorService) {
            return propagating((ExecutorService) executor);
        }
        return task -> executor.execute(wrap(task));
    }

    /**
     * Returns an executor service that runs each task (also those of {@code invokeAll}/{@code invokeAny})
     * with the binding of the thread that submitted it. Shutting it down shuts down {@code executor}.
     */
    public static ExecutorService propagating(ExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return executor instanceof PropagatingExecutorService ? executor : new PropagatingExecutorService(executor);
    }

    /**
     * Replaces the sink that receives audit events: system scopes opened and closed here, the tenant
     * lifecycle's operations, and whatever else is sent to {@link #auditSink()} (the Spring Boot starter sends
     * quota refusals here too); see {@link AuditEvent.Kind}. The default logs them to SLF4J.
     *
     * @param sink the new sink, shared by all threads
     */
    public static void auditSink(AuditSink sink) {
        auditSink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Registers a guard that {@link #open}, {@link #runAs}, {@link #callAs} and {@link #openSystem}
     * consult before they replace a bound tenant with another one or with a system scope. Guards apply
     * to all threads; the Spring Boot starter registers one per application context and removes it
     * when the context closes.
     *
     * @param guard the guard
     * @return the registration; close it to remove the guard
     */
    public static TenantSwitchGuard.Registration addSwitchGuard(TenantSwitchGuard guard) {
        Objects.requireNonNull(guard, "guard");
        GUARDS.add(guard);
        return () -> GUARDS.remove(guard);
    }

    private static void checkSwitch(TenantId bound, @Nullable TenantId next, @Nullable String systemReason) {
        for (TenantSwitchGuard guard : GUARDS) {
            guard.check(bound, next, systemReason);
        }
    }

    /** Returns the sink that receives audit events. */
    public static AuditSink auditSink() {
        return auditSink;
    }

    static void audit(AuditEvent event) {
        try {
            auditSink.record(event);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(TenantContext.class).error("Audit sink failed to record {}", event, e);
        }
    }

    static @Nullable Frame currentFrame() {
        return CURRENT.get();
    }

    private static @Nullable Frame swapIn(@Nullable Frame frame) {
        Frame saved = CURRENT.get();
        install(frame);
        return saved;
    }

    static void install(@Nullable Frame frame) {
        if (frame == null) {
            // set(null), not remove(): the thread keeps its (empty) slot instead of a new entry per binding.
            CURRENT.set(null);
            MDC.remove(MDC_KEY);
        } else {
            CURRENT.set(frame);
            MDC.put(MDC_KEY, frame.tenant != null ? frame.tenant.value() : MDC_SYSTEM);
        }
    }
}
