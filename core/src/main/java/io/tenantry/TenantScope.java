package io.tenantry;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A binding of a tenant (or of the system scope) to the current thread, opened by
 * {@link TenantContext#open(TenantId)} or {@link TenantContext#openSystem(String)} and undone by
 * {@link #close()}, which restores whatever was bound before. Use it in try-with-resources.
 *
 * <p>A scope belongs to the thread that opened it. Closing it twice is harmless; closing it on
 * another thread, or while a scope opened inside it is still open, is a bug and throws
 * {@link IllegalStateException} (after restoring the binding from before this scope if that binding
 * is still in force; closing a scope that an outer scope already ended changes nothing), so the
 * thread is never left bound to a tenant.
 */
public final class TenantScope implements AutoCloseable {

    private final TenantContext.Frame frame;
    private final Thread owner;
    private boolean closed;

    TenantScope(TenantContext.Frame frame) {
        this.frame = frame;
        this.owner = Thread.currentThread();
    }

    /** Returns the tenant this scope binds; empty for a system scope. */
    public Optional<TenantId> tenantId() {
        return Optional.ofNullable(frame.tenant);
    }

    /** Returns whether this is a system (cross-tenant) scope. */
    public boolean isSystem() {
        return frame.systemReason != null;
    }

    /**
     * Restores the binding from before this scope.
     *
     * @throws IllegalStateException if called on another thread than the one that opened it, or
     *     while an inner scope is still open
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("A TenantScope must be closed on the thread that opened it (opened on "
                    + owner.getName() + ", closed on " + Thread.currentThread().getName() + ").");
        }
        closed = true;
        TenantContext.Frame current = TenantContext.currentFrame();
        // Restore only if this scope's binding is still in force. If it has already been unwound (an
        // outer scope was closed first, or a wrapped task ended), installing frame.outer would bind
        // that outer tenant again, on a thread that had already left it.
        boolean inForce = isInForce(current);
        if (inForce) {
            TenantContext.install(frame.outer);
        }
        if (frame.systemReason != null) {
            TenantContext.audit(new AuditEvent(AuditEvent.Kind.SYSTEM_SCOPE_CLOSED, null, frame.systemReason));
        }
        if (current != frame) {
            throw new IllegalStateException("TenantScope for " + describe() + (inForce
                    ? " was closed while a scope opened inside it was still open; close scopes in reverse order"
                            + " (try-with-resources does). The binding from before this scope has been restored."
                    : " was closed after its binding had already ended (a scope around it was closed first);"
                            + " close scopes in reverse order (try-with-resources does). The current binding is"
                            + " left as it is."));
        }
    }

    private boolean isInForce(TenantContext.@Nullable Frame current) {
        for (TenantContext.Frame f = current; f != null; f = f.outer) {
            if (f == frame) {
                return true;
            }
        }
        return false;
    }

    private String describe() {
        return frame.tenant == null ? "the system scope" : "tenant \"" + frame.tenant + "\"";
    }

    @Override
    public String toString() {
        return "TenantScope{" + describe() + (closed ? ", closed" : "") + "}";
    }
}
