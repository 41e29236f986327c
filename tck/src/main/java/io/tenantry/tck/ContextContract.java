package io.tenantry.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tenantry.NoTenantBoundException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;

/**
 * The tenant-context contract: work handed to an executor runs for the tenant of the code that
 * handed it over, and leaves nothing bound on the pooled thread afterwards; scopes nest and
 * restore; asking for the tenant with none bound fails closed. Run it against the executor your
 * application hands tenant work to:
 *
 * <pre>{@code
 * class WorkerPoolContextTest extends ContextContract {
 *     @Override
 *     protected ExecutorService executor() {
 *         return Executors.newFixedThreadPool(3);     // or your application's own pool factory
 *     }
 * }
 * }</pre>
 *
 * <p>By default the kit hands work over through {@link TenantContext#propagating(ExecutorService)};
 * a stack with its own hand-over (a task decorator, say) overrides {@link #propagating}. The kit
 * submits to {@link #executor()} directly too, to see what a pooled thread carries when nothing
 * propagates. Each property runs {@link #tries()} tries.
 */
public abstract class ContextContract {

    private static final List<TenantId> DEFAULT_TENANTS = List.of(
            TenantId.of("acme"), TenantId.of("acme1"), TenantId.of("bravo"), TenantId.of("c"));
    private static final long TIMEOUT_SECONDS = 30;
    private static final String SYSTEM_REASON = "tenantry-tck: context propagation check";

    /**
     * Returns a new executor that runs tasks on threads of its own (never the submitter's) and
     * reuses them across tasks. Called once per test; the kit shuts it down when the test ends.
     */
    protected abstract ExecutorService executor();

    /**
     * Returns {@code executor} as the application hands tenant work to it. The default is
     * {@link TenantContext#propagating(ExecutorService)}.
     */
    protected ExecutorService propagating(ExecutorService executor) {
        return TenantContext.propagating(executor);
    }

    /** Returns the tenants that submit work; at least two. */
    protected List<TenantId> tenants() {
        return DEFAULT_TENANTS;
    }

    /** Returns how many tries each property runs: 200 unless the system property {@code tenantry.tck.tries} says otherwise. */
    protected int tries() {
        return Trials.defaultTries();
    }

    /** How a task is handed to the executor service. */
    enum Via {
        EXECUTE, SUBMIT_RUNNABLE, SUBMIT_CALLABLE, INVOKE_ALL
    }

    /**
     * One hand-over: the binding of the submitting code (outermost first; empty for none, null
     * for a system scope) and the executor method used.
     */
    record Submission(List<@Nullable TenantId> bindings, Via via) {
        /** Returns the binding the task must see: the innermost one, or none. */
        Optional<TenantId> expected() {
            return bindings.isEmpty() ? Optional.empty() : Optional.ofNullable(bindings.get(bindings.size() - 1));
        }

        boolean system() {
            return !bindings.isEmpty() && bindings.get(bindings.size() - 1) == null;
        }

        @Override
        public String toString() {
            String bound = bindings.isEmpty() ? "nothing bound" : bindings.toString().replace("null", "system scope");
            return via.name().toLowerCase(java.util.Locale.ROOT) + " with " + bound;
        }
    }

    /** What a task saw while it ran. */
    record Seen(Optional<TenantId> tenant, boolean system, boolean failedClosed, @Nullable String mdc, String thread) {
        static Seen now() {
            boolean failedClosed;
            try {
                TenantContext.current();
                failedClosed = false;
            } catch (NoTenantBoundException e) {
                failedClosed = true;
            }
            return new Seen(TenantContext.find(), TenantContext.isSystem(), failedClosed, MDC.get(TenantContext.MDC_KEY),
                    Thread.currentThread().getName());
        }
    }

    @Test
    @DisplayName("a task runs for the tenant bound where it was submitted, or for none")
    void tasksRunForTheTenantOfTheirSubmitter() {
        List<TenantId> tenants = tenants();
        Trials.forAllLists("a task runs for the tenant bound where it was submitted", tries(),
                random -> submissions(random, tenants), this::checkSubmissions);
    }

    private static List<Submission> submissions(SplittableRandom random, List<TenantId> tenants) {
        int size = 1 + random.nextInt(12);
        List<Submission> submissions = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int depth = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(3);
            List<@Nullable TenantId> bindings = new ArrayList<>(depth);
            for (int d = 0; d < depth; d++) {
                bindings.add(random.nextInt(8) == 0 ? null : tenants.get(random.nextInt(tenants.size())));
            }
            submissions.add(new Submission(bindings, Via.values()[random.nextInt(Via.values().length)]));
        }
        return submissions;
    }

    void checkSubmissions(List<Submission> submissions) {
        requireUnbound();
        ExecutorService executor = executor();
        try {
            ExecutorService tenantAware = propagating(executor);
            List<List<Future<Seen>>> seen = new ArrayList<>();
            for (Submission submission : submissions) {
                seen.add(within(submission.bindings(), 0, () -> submit(tenantAware, submission.via())));
            }
            for (int i = 0; i < submissions.size(); i++) {
                Submission submission = submissions.get(i);
                for (Future<Seen> result : seen.get(i)) {
                    checkSeen(i + 1, submission, await(result));
                }
            }
            assertThat(TenantContext.find()).as("tenant bound on the submitting thread afterwards").isEmpty();
        } finally {
            executor.shutdownNow();
        }
    }

    /** Checks what task {@code number} saw against the binding it was submitted with. */
    private static void checkSeen(int number, Submission submission, Seen task) {
        assertThat(task.tenant()).as("tenant seen by task %d, submitted by %s", number, submission)
                .isEqualTo(submission.expected());
        assertThat(task.system()).as("system scope seen by task %d, submitted by %s", number, submission)
                .isEqualTo(submission.system());
        assertThat(task.failedClosed()).as("TenantContext.current() threw NoTenantBoundException in task %d,"
                + " submitted by %s", number, submission).isEqualTo(submission.expected().isEmpty());
        if (mdcWorks()) {
            assertThat(task.mdc()).as("MDC \"%s\" in task %d, submitted by %s", TenantContext.MDC_KEY, number,
                    submission).isEqualTo(submission.system() ? TenantContext.MDC_SYSTEM
                            : submission.expected().map(TenantId::value).orElse(null));
        }
    }

    /** Hands tasks to {@code executor} by {@code via}: one task, or two for {@code invokeAll}. */
    private static List<Future<Seen>> submit(ExecutorService executor, Via via) throws InterruptedException {
        switch (via) {
            case EXECUTE:
                CompletableFuture<Seen> done = new CompletableFuture<>();
                executor.execute(() -> done.complete(Seen.now()));
                return List.of(done);
            case SUBMIT_RUNNABLE:
                CompletableFuture<Seen> ran = new CompletableFuture<>();
                executor.submit(() -> {
                    ran.complete(Seen.now());
                });
                return List.of(ran);
            case SUBMIT_CALLABLE:
                return List.of(executor.submit((Callable<Seen>) Seen::now));
            default:
                List<Callable<Seen>> tasks = List.of(Seen::now, Seen::now);
                return executor.invokeAll(tasks);
        }
    }

    /** Opens {@code bindings} from {@code depth} inwards (null opens a system scope) and calls {@code body} inside. */
    private static <T> T within(List<@Nullable TenantId> bindings, int depth, Callable<T> body) {
        try {
            if (depth == bindings.size()) {
                return body.call();
            }
            TenantId tenant = bindings.get(depth);
            TenantScope scope = tenant == null ? TenantContext.openSystem(SYSTEM_REASON) : TenantContext.open(tenant);
            try {
                return within(bindings, depth + 1, body);
            } finally {
                scope.close();
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("a task keeps the tenant of its submission even if the submitter moves on before it runs")
    void bindingIsCapturedWhenTheTaskIsSubmitted() {
        List<TenantId> tenants = tenants();
        Trials.forAll("a task keeps the tenant of its submission", tries(), random -> {
            int first = random.nextInt(tenants.size());
            int second = (first + 1 + random.nextInt(tenants.size() - 1)) % tenants.size();
            return List.of(tenants.get(first), tenants.get(second));
        }, this::checkCapture);
    }

    void checkCapture(List<TenantId> pair) {
        requireUnbound();
        ExecutorService executor = executor();
        try {
            ExecutorService tenantAware = propagating(executor);
            CountDownLatch release = new CountDownLatch(1);
            Future<Seen> gated = TenantContext.callAs(pair.get(0), () -> tenantAware.submit(() -> {
                if (!release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("The task was not released within " + TIMEOUT_SECONDS + " s");
                }
                return Seen.now();
            }));
            TenantContext.runAs(pair.get(1), release::countDown);
            assertThat(await(gated).tenant()).as("tenant seen by a task submitted for %s and released by %s",
                    pair.get(0), pair.get(1)).contains(pair.get(0));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    @DisplayName("a pooled thread carries no tenant once the tenant's task is done")
    void pooledThreadsCarryNoTenantAfterwards() {
        List<TenantId> tenants = tenants();
        Trials.forAllLists("a pooled thread carries no tenant afterwards", tries(),
                random -> submissions(random, tenants), this::checkNothingLeftBehind);
    }

    void checkNothingLeftBehind(List<Submission> submissions) {
        requireUnbound();
        ExecutorService executor = executor();
        try {
            ExecutorService tenantAware = propagating(executor);
            List<Future<Seen>> tasks = new ArrayList<>();
            for (Submission submission : submissions) {
                tasks.addAll(within(submission.bindings(), 0, () -> submit(tenantAware, submission.via())));
            }
            for (Future<Seen> task : tasks) {
                await(task);
            }
            int probes = Math.max(16, 4 * submissions.size());
            List<Future<Seen>> seen = new ArrayList<>(probes);
            for (int i = 0; i < probes; i++) {
                seen.add(executor.submit((Callable<Seen>) Seen::now));
            }
            for (Future<Seen> probe : seen) {
                Seen task = await(probe);
                assertThat(task.tenant()).as("tenant on pooled thread %s after the tenants' tasks", task.thread())
                        .isEmpty();
                assertThat(task.system()).as("system scope on pooled thread %s after the tenants' tasks",
                        task.thread()).isFalse();
                assertThat(task.mdc()).as("MDC \"%s\" on pooled thread %s after the tenants' tasks",
                        TenantContext.MDC_KEY, task.thread()).isNull();
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    @DisplayName("scopes nest, restore the outer tenant when they close, also on an exception, and fail closed outside")
    void scopesNestAndRestore() {
        List<TenantId> tenants = tenants();
        Trials.forAll("scopes nest and restore", tries(), random -> {
            List<TenantId> path = new ArrayList<>();
            int depth = 1 + random.nextInt(5);
            for (int i = 0; i < depth; i++) {
                path.add(tenants.get(random.nextInt(tenants.size())));
            }
            return new Nesting(path, random.nextInt(depth + 1));
        }, this::checkNesting);
    }

    /**
     * Tenants bound one inside the other. When {@code catchAt} is less than the depth, the innermost
     * body throws and the scope at index {@code catchAt} catches it; otherwise nothing throws.
     */
    record Nesting(List<TenantId> path, int catchAt) {
    }

    void checkNesting(Nesting nesting) {
        requireUnbound();
        assertThat(catchThrowable(TenantContext::current))
                .as("TenantContext.current() with nothing bound must throw NoTenantBoundException")
                .isInstanceOf(NoTenantBoundException.class);
        nest(nesting, 0);
        assertThat(TenantContext.find()).as("tenant bound after every scope closed").isEmpty();
        assertThat(MDC.get(TenantContext.MDC_KEY)).as("MDC after every scope closed").isNull();
        TenantScope system = TenantContext.openSystem(SYSTEM_REASON);
        try {
            assertThat(catchThrowable(TenantContext::current))
                    .as("TenantContext.current() in a system scope must throw NoTenantBoundException")
                    .isInstanceOf(NoTenantBoundException.class);
        } finally {
            system.close();
        }
    }

    private static void nest(Nesting nesting, int depth) {
        if (depth == nesting.path().size()) {
            if (nesting.catchAt() < depth) {
                throw new Unwinding();
            }
            return;
        }
        TenantId tenant = nesting.path().get(depth);
        try (TenantScope scope = TenantContext.open(tenant)) {
            assertThat(scope.tenantId()).as("scope at depth %d", depth + 1).contains(tenant);
            assertThat(TenantContext.current()).as("tenant at depth %d", depth + 1).isEqualTo(tenant);
            if (mdcWorks()) {
                assertThat(MDC.get(TenantContext.MDC_KEY)).as("MDC at depth %d", depth + 1).isEqualTo(tenant.value());
            }
            try {
                nest(nesting, depth + 1);
            } catch (Unwinding e) {
                if (depth != nesting.catchAt()) {
                    throw e;
                }
            }
            assertThat(TenantContext.current()).as("tenant at depth %d after the inner scopes closed", depth + 1)
                    .isEqualTo(tenant);
        }
    }

    /** Thrown from the innermost scope to check that scopes restore their outer binding on the way out. */
    private static final class Unwinding extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unwinding() {
            super("unwinding nested tenant scopes", null, false, false);
        }
    }

    private static boolean mdcWorks() {
        return !(MDC.getMDCAdapter() instanceof NOPMDCAdapter);
    }

    private static <T> T await(Future<T> result) {
        try {
            return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError) {
                throw (AssertionError) e.getCause();
            }
            throw new AssertionError("A task failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("A task did not finish within " + TIMEOUT_SECONDS + " s: does executor() run"
                    + " tasks on threads of its own?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for a task", e);
        }
    }

    private static void requireUnbound() {
        if (TenantContext.find().isPresent() || TenantContext.isSystem()) {
            throw new IllegalStateException("The context contract must start with nothing bound on the test thread:"
                    + " close the scope that a set-up method left open.");
        }
    }
}
