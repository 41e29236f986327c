package io.tenantry.benchmarks;

import io.tenantry.Placement;
import io.tenantry.TenantDigest;
import io.tenantry.TenantId;
import io.tenantry.spi.TenantDataStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TenantDataStore} that times every call of the adapter's store it wraps, so that a move's cost
 * splits into its phases: the source's digest, the copy, the copy's digest (the verification), the erasure
 * of the source, and what the lifecycle does around them (journal, directory). Calls are recorded in order
 * until {@link #calls()} takes them. For one benchmark thread.
 */
final class TimedDataStore implements TenantDataStore {

    private final TenantDataStore delegate;
    private final MoveClocks clocks;
    private final List<Call> calls = new ArrayList<>();
    private String run = "";

    TimedDataStore(TenantDataStore delegate, MoveClocks clocks) {
        this.delegate = delegate;
        this.clocks = clocks;
    }

    /**
     * One call of the store.
     *
     * @param method the method's name
     * @param placement the placement it was for (the target, for a copy)
     * @param cost what it took
     * @param digest what a digest returned, else null
     */
    record Call(String method, Placement placement, MoveClocks.Reading cost, @Nullable TenantDigest digest) {
    }

    /** Names the run that the next calls belong to, for the flight recorder's {@link MovePhaseEvent}s. */
    void run(String name) {
        this.run = name;
    }

    /** Returns the calls recorded since the last time, and forgets them. */
    List<Call> calls() {
        List<Call> taken = List.copyOf(calls);
        calls.clear();
        return taken;
    }

    @Override
    public boolean serves(Placement placement) {
        return delegate.serves(placement);
    }

    @Override
    public void provision(TenantId tenant, Placement placement) {
        timed("provision", placement, () -> {
            delegate.provision(tenant, placement);
            return null;
        });
    }

    @Override
    public void copy(TenantId tenant, Placement from, Placement to, CopyProgress progress) {
        timed("copy", to, () -> {
            delegate.copy(tenant, from, to, progress);
            return null;
        });
    }

    @Override
    public TenantDigest digest(TenantId tenant, Placement placement) {
        TenantDigest digest = timed("digest", placement, () -> delegate.digest(tenant, placement));
        return java.util.Objects.requireNonNull(digest);
    }

    @Override
    public void erase(TenantId tenant, Placement placement) {
        timed("erase", placement, () -> {
            delegate.erase(tenant, placement);
            return null;
        });
    }

    private <T> @Nullable T timed(String method, Placement placement, Supplier<@Nullable T> call) {
        MovePhaseEvent event = new MovePhaseEvent(run, method + " " + placement);
        event.begin();
        MoveClocks.Reading start = clocks.read();
        T result = call.get();
        event.commit();
        calls.add(new Call(method, placement, clocks.read().minus(start),
                result instanceof TenantDigest digest ? digest : null));
        return result;
    }
}
