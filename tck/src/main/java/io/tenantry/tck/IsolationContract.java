package io.tenantry.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tenantry.NoTenantBoundException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The isolation contract: whatever several tenants do to a {@link TenantScopedStore}, in whatever
 * order and on however many threads, each tenant observes exactly what it wrote, and nothing
 * happens without a tenant. Run it against your own stack with a subclass:
 *
 * <pre>{@code
 * class NotesIsolationTest extends IsolationContract {
 *     private final NotesRepository notes = ...;   // the stack under test, tenant-scoped
 *
 *     @Override
 *     protected TenantScopedStore store() {
 *         return new NotesStore(notes);              // a few lines mapping write/read/... to it
 *     }
 * }
 * }</pre>
 *
 * <p>Each test is a property that runs {@link #tries()} generated tries. Before each try the kit
 * calls {@link #reset()}, which by default clears every tenant's entries through the store itself.
 * Every store call runs on a thread with exactly one tenant bound through {@link TenantContext},
 * except where the contract checks that calls with none bound fail closed.
 *
 * <p>Subclasses are not thread-safe test fixtures; one instance runs one test at a time.
 */
public abstract class IsolationContract {

    private static final List<TenantId> DEFAULT_TENANTS = List.of(
            TenantId.of("acme"), TenantId.of("acme1"), TenantId.of("bravo"), TenantId.of("c"));
    private static final int WORKERS_PER_TENANT = 2;
    private static final int THREADS = 4;
    private static final long TIMEOUT_SECONDS = 60;

    /**
     * Returns the store under test. Called at the start of every try, after {@link #reset()}; may
     * return the same instance every time.
     */
    protected abstract TenantScopedStore store();

    /**
     * Returns the tenants whose operations are interleaved: at least two. The default is
     * {@code acme}, {@code acme1}, {@code bravo} and {@code c}; {@code acme} and {@code acme1} catch
     * stores that build a composite key without a separator.
     */
    protected List<TenantId> tenants() {
        return DEFAULT_TENANTS;
    }

    /**
     * Empties the store before each try. The default clears every tenant of {@link #tenants()}
     * through {@link TenantScopedStore#clear()}; override it to drop a collection or truncate a
     * table instead.
     */
    protected void reset() {
        TenantScopedStore store = store();
        for (TenantId tenant : tenants()) {
            TenantContext.runAs(tenant, store::clear);
        }
    }

    /**
     * Returns how many tries each property runs; the concurrent property runs a quarter as many.
     * The default is 200, or the system property {@code tenantry.tck.tries}.
     */
    protected int tries() {
        return Trials.defaultTries();
    }

    /** Returns the most steps in one generated interleaving; the default is 40. */
    protected int maxSteps() {
        return 40;
    }

    @Test
    @DisplayName("each tenant observes exactly what it wrote, whatever the interleaving")
    void eachTenantObservesExactlyWhatItWrote() {
        List<TenantId> tenants = tenants();
        int maxSteps = maxSteps();
        Trials.forAllLists("each tenant observes exactly what it wrote", tries(),
                random -> Interleavings.steps(random, tenants, maxSteps), this::checkInterleaving);
    }

    /** Runs {@code steps} on a reset store, comparing each result and then every tenant's view with the model. */
    void checkInterleaving(List<Step> steps) {
        TenantScopedStore store = freshStore();
        StoreModel model = new StoreModel();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Object actual = TenantContext.callAs(step.tenant(), () -> step.perform(store));
            assertThat(actual).as("result of step %d, %s", i + 1, step).isEqualTo(model.apply(step));
            model.verify(store, tenants(), "after step " + (i + 1) + ", " + step);
        }
    }

    /** Two tenants, one key, two values. */
    record SharedKey(TenantId first, TenantId second, String key, String firstValue, String secondValue) {
    }

    @Test
    @DisplayName("the same key written by two tenants holds one value per tenant")
    void sameKeyHoldsOneValuePerTenant() {
        List<TenantId> tenants = tenants();
        Trials.forAll("the same key written by two tenants holds one value per tenant", tries(),
                random -> sharedKey(random, tenants), this::checkSharedKey);
    }

    private static SharedKey sharedKey(SplittableRandom random, List<TenantId> tenants) {
        int first = random.nextInt(tenants.size());
        int second = (first + 1 + random.nextInt(tenants.size() - 1)) % tenants.size();
        String firstValue = Interleavings.value(random);
        String secondValue = Interleavings.value(random);
        if (secondValue.equals(firstValue)) {
            secondValue = firstValue + "z";
        }
        return new SharedKey(tenants.get(first), tenants.get(second), Interleavings.key(random), firstValue,
                secondValue);
    }

    void checkSharedKey(SharedKey shared) {
        TenantScopedStore store = freshStore();
        TenantId first = shared.first();
        TenantId second = shared.second();
        String key = shared.key();
        TenantContext.runAs(first, () -> store.write(key, shared.firstValue()));
        TenantContext.runAs(second, () -> store.write(key, shared.secondValue()));
        assertThat(TenantContext.callAs(first, () -> store.read(key))).as("first tenant's read")
                .contains(shared.firstValue());
        assertThat(TenantContext.callAs(second, () -> store.read(key))).as("second tenant's read")
                .contains(shared.secondValue());
        assertThat(TenantContext.callAs(first, store::count)).as("first tenant's count").isEqualTo(1L);
        assertThat(TenantContext.callAs(second, store::count)).as("second tenant's count").isEqualTo(1L);
        assertThat(TenantContext.callAs(second, () -> store.delete(key))).as("second tenant's delete").isTrue();
        assertThat(TenantContext.callAs(second, () -> store.read(key))).as("second tenant's read after its delete")
                .isEmpty();
        assertThat(TenantContext.callAs(second, () -> store.delete(key))).as("second tenant's second delete")
                .isFalse();
        assertThat(TenantContext.callAs(first, () -> store.query(""))).as("first tenant's entries after the"
                + " second tenant deleted the key").containsExactly(shared.firstValue());
    }

    /** Some history, then one operation of every kind with no tenant bound, in a system scope or outside any. */
    record Unbound(List<Step> history, List<Step> operations, boolean inSystemScope) {
    }

    @Test
    @DisplayName("with no tenant bound, every operation throws NoTenantBoundException and changes nothing")
    void operationsWithoutATenantFailClosed() {
        List<TenantId> tenants = tenants();
        int maxSteps = maxSteps();
        Trials.forAll("with no tenant bound, every operation fails closed", tries(),
                random -> new Unbound(Interleavings.steps(random, tenants, maxSteps),
                        Interleavings.oneOfEachKind(random, tenants.get(0)), random.nextBoolean()),
                this::checkUnbound);
    }

    void checkUnbound(Unbound unbound) {
        TenantScopedStore store = freshStore();
        StoreModel model = new StoreModel();
        TreeSet<String> keys = new TreeSet<>();
        for (Step step : unbound.history()) {
            TenantContext.callAs(step.tenant(), () -> step.perform(store));
            model.apply(step);
            keys.addAll(model.entries(step.tenant()).keySet());
        }
        TenantScope system = unbound.inSystemScope()
                ? TenantContext.openSystem("tenantry-tck: store calls in a system scope must fail closed")
                : null;
        try {
            for (Step operation : unbound.operations()) {
                Throwable thrown = catchThrowable(() -> operation.perform(store));
                assertThat(thrown).as("%s with %s must throw NoTenantBoundException",
                        operation.toString().replaceFirst("^[^:]*: ", ""),
                        system != null ? "a system scope bound" : "no tenant bound")
                        .isInstanceOf(NoTenantBoundException.class);
            }
        } finally {
            if (system != null) {
                system.close();
            }
        }
        model.verify(store, tenants(), "after the calls without a tenant");
        model.verifyReads(store, tenants(), keys, "after the calls without a tenant");
    }

    /** One tenant's worker: steps on keys that only this worker of this tenant uses. */
    record Worker(TenantId tenant, int index, List<Step> steps) {
    }

    @Test
    @DisplayName("tenants working concurrently on the same keys each observe exactly what they wrote")
    void concurrentTenantsStayIsolated() {
        List<TenantId> tenants = tenants();
        Trials.forAll("tenants working concurrently each observe exactly what they wrote", Math.max(1, tries() / 4),
                random -> workers(random, tenants), this::checkConcurrently);
    }

    private static List<Worker> workers(SplittableRandom random, List<TenantId> tenants) {
        List<Worker> workers = new ArrayList<>();
        for (TenantId tenant : tenants) {
            for (int w = 0; w < WORKERS_PER_TENANT; w++) {
                int size = 5 + random.nextInt(26);
                List<Step> steps = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    String key = "w" + w + Interleavings.key(random);
                    int roll = random.nextInt(10);
                    steps.add(roll < 5 ? new Step.Write(tenant, key, Interleavings.value(random))
                            : roll < 8 ? new Step.Read(tenant, key) : new Step.Delete(tenant, key));
                }
                workers.add(new Worker(tenant, w, steps));
            }
        }
        return workers;
    }

    void checkConcurrently(List<Worker> workers) {
        TenantScopedStore store = freshStore();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "tenantry-tck-worker-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<NavigableMap<String, String>>> results = new ArrayList<>();
            for (Worker worker : workers) {
                results.add(pool.submit(() -> work(store, worker, start)));
            }
            start.countDown();
            StoreModel model = new StoreModel();
            TreeSet<String> keys = new TreeSet<>();
            for (int i = 0; i < workers.size(); i++) {
                Map<String, String> written = await(results.get(i));
                model.putAll(workers.get(i).tenant(), written);
                workers.get(i).steps().forEach(step -> keys.add(keyOf(step)));
            }
            model.verify(store, tenants(), "after all workers finished");
            model.verifyReads(store, tenants(), keys, "after all workers finished");
        } finally {
            pool.shutdownNow();
        }
    }

    private static NavigableMap<String, String> work(TenantScopedStore store, Worker worker, CountDownLatch start)
            throws InterruptedException {
        if (!start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("Workers were not released within " + TIMEOUT_SECONDS + " s");
        }
        NavigableMap<String, String> entries = new TreeMap<>();
        for (int i = 0; i < worker.steps().size(); i++) {
            Step step = worker.steps().get(i);
            Object actual = TenantContext.callAs(worker.tenant(), () -> step.perform(store));
            assertThat(actual).as("result of step %d of worker %d, %s, while other tenants ran concurrently", i + 1,
                    worker.index(), step).isEqualTo(step.expect(entries));
        }
        return entries;
    }

    private static <T> T await(Future<T> result) {
        try {
            return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError) {
                throw (AssertionError) e.getCause();
            }
            throw new AssertionError("A worker failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("A worker did not finish within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for the workers", e);
        }
    }

    private static String keyOf(Step step) {
        if (step instanceof Step.Write write) {
            return write.key();
        } else if (step instanceof Step.Read read) {
            return read.key();
        } else if (step instanceof Step.Delete delete) {
            return delete.key();
        }
        throw new IllegalArgumentException("Workers only write, read and delete, not " + step);
    }

    /** Checks that the test thread is unbound, resets the store and returns it. */
    private TenantScopedStore freshStore() {
        Optional<TenantId> bound = TenantContext.find();
        if (bound.isPresent() || TenantContext.isSystem()) {
            throw new IllegalStateException("The isolation contract must start with no tenant bound on the test thread,"
                    + " but " + bound.map(t -> "tenant \"" + t + "\"").orElse("a system scope") + " is bound: close"
                    + " the scope that a set-up method left open.");
        }
        reset();
        return store();
    }
}
