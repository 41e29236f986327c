package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Work handed to other threads carries the tenant it was wrapped or submitted with, never the
 * worker's, and leaves the worker as it found it. The pool has one thread, so that the thread a task
 * runs on is the thread the next probe runs on.
 */
class TenantContextPropagationTest {

    static final TenantId ACME = TenantId.of("acme");
    static final TenantId BRAVO = TenantId.of("bravo");
    static final long TIMEOUT = 10;

    /** What a piece of code saw of the tenant context. */
    record Seen(Optional<TenantId> tenant, @Nullable String mdc, String thread) {

        static Seen now() {
            return new Seen(TenantContext.find(), MDC.get(TenantContext.MDC_KEY), Thread.currentThread().getName());
        }

        static Seen none(String thread) {
            return new Seen(Optional.empty(), null, thread);
        }

        static Seen of(TenantId tenant, String thread) {
            return new Seen(Optional.of(tenant), tenant.value(), thread);
        }
    }

    private ExecutorService pool;

    @BeforeEach
    void one_worker_thread() {
        pool = Executors.newSingleThreadExecutor(task -> new Thread(task, "worker"));
    }

    @AfterEach
    void stop_the_worker() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(TIMEOUT, TimeUnit.SECONDS)).isTrue();
        assertThat(TenantContext.find()).isEmpty();
    }

    /** Leaves {@code tenant} bound on the worker, as a buggy unwrapped task would. */
    private void leak_on_the_worker(TenantId tenant) throws Exception {
        pool.submit(() -> TenantContext.open(tenant)).get(TIMEOUT, TimeUnit.SECONDS);
    }

    /** What an unwrapped task sees on the worker now. */
    private Seen probe_the_worker() throws Exception {
        return pool.submit(Seen::now).get(TIMEOUT, TimeUnit.SECONDS);
    }

    private <T> T run_on_the_worker(Callable<T> task) throws Exception {
        return pool.submit(task).get(TIMEOUT, TimeUnit.SECONDS);
    }

    @Test
    void a_wrapped_runnable_runs_with_the_tenant_bound_when_it_was_wrapped() throws Exception {
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        Runnable task = TenantContext.callAs(ACME, () -> TenantContext.wrap(() -> {
            seen.complete(Seen.now());
        }));

        pool.execute(task);

        assertThat(seen.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(Seen.of(ACME, "worker"));
        assertThat(probe_the_worker()).isEqualTo(Seen.none("worker"));
    }

    @Test
    void a_task_wrapped_with_no_tenant_runs_with_none_on_a_worker_that_has_one_and_gives_it_back() throws Exception {
        leak_on_the_worker(BRAVO);
        CompletableFuture<Seen> seen = new CompletableFuture<>();

        pool.execute(TenantContext.wrap(() -> {
            seen.complete(Seen.now());
        }));

        assertThat(seen.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(Seen.none("worker"));
        assertThat(probe_the_worker()).isEqualTo(Seen.of(BRAVO, "worker"));
    }

    @Test
    void a_wrapped_task_that_throws_still_gives_the_worker_its_binding_back() throws Exception {
        leak_on_the_worker(BRAVO);
        Callable<Object> failing = TenantContext.callAs(ACME, () -> TenantContext.wrap((Callable<Object>) () -> {
            throw new IllegalStateException("task failed with " + TenantContext.current());
        }));

        Future<Object> result = pool.submit(failing);

        assertThatThrownBy(() -> result.get(TIMEOUT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("task failed with acme");
        assertThat(probe_the_worker()).isEqualTo(Seen.of(BRAVO, "worker"));
    }

    @Test
    void a_wrapped_task_that_leaves_a_scope_open_does_not_leak_it_to_the_worker() throws Exception {
        Runnable leaky = TenantContext.callAs(ACME, () -> TenantContext.wrap((Runnable) () -> TenantContext.open(BRAVO)));

        pool.submit(leaky).get(TIMEOUT, TimeUnit.SECONDS);

        assertThat(probe_the_worker()).isEqualTo(Seen.none("worker"));
    }

    @Test
    void a_wrapped_callable_sees_the_captured_tenant_and_returns_its_value() throws Exception {
        leak_on_the_worker(BRAVO);
        Callable<Seen> task = TenantContext.callAs(ACME, () -> TenantContext.wrap((Callable<Seen>) Seen::now));

        assertThat(run_on_the_worker(task)).isEqualTo(Seen.of(ACME, "worker"));
        assertThat(probe_the_worker()).isEqualTo(Seen.of(BRAVO, "worker"));
    }

    @Test
    void wrapped_functional_interfaces_see_the_captured_tenant_and_restore_the_worker() throws Exception {
        leak_on_the_worker(BRAVO);
        Supplier<Seen> supplier = TenantContext.callAs(ACME, () -> TenantContext.wrapSupplier(Seen::now));
        Function<String, Seen> function = TenantContext.callAs(ACME,
                () -> TenantContext.wrapFunction((String input) -> Seen.now()));
        CompletableFuture<Seen> consumed = new CompletableFuture<>();
        Consumer<String> consumer = TenantContext.callAs(ACME,
                () -> TenantContext.wrapConsumer((String input) -> consumed.complete(Seen.now())));
        BiFunction<String, String, Seen> biFunction = TenantContext.callAs(ACME,
                () -> TenantContext.wrapBiFunction((String left, String right) -> Seen.now()));

        assertThat(run_on_the_worker(supplier::get)).isEqualTo(Seen.of(ACME, "worker"));
        assertThat(probe_the_worker()).isEqualTo(Seen.of(BRAVO, "worker"));
        assertThat(run_on_the_worker(() -> function.apply("x"))).isEqualTo(Seen.of(ACME, "worker"));
        assertThat(probe_the_worker()).isEqualTo(Seen.of(BRAVO, "worker"));
        run_on_the_worker(() -> {
            consumer.accept("x");
            return null;
        });
        assertThat(consumed.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(Seen.of(ACME, "worker"));
        assertThat(probe_the_worker()).isEqualTo(Seen.of(BRAVO, "worker"));
        assertThat(run_on_the_worker(() -> biFunction.apply("x", "y"))).isEqualTo(Seen.of(ACME, "worker"));
        assertThat(probe_the_worker()).isEqualTo(Seen.of(BRAVO, "worker"));
    }

    @Test
    void wrapped_functional_interfaces_pass_arguments_and_results_through() {
        Function<Integer, Integer> twice = TenantContext.wrapFunction(x -> 2 * x);
        BiFunction<Integer, Integer, Integer> sum = TenantContext.wrapBiFunction(Integer::sum);
        StringBuilder consumed = new StringBuilder();

        TenantContext.wrapConsumer(consumed::append).accept("cards");

        assertThat(twice.apply(21)).isEqualTo(42);
        assertThat(sum.apply(40, 2)).isEqualTo(42);
        assertThat(TenantContext.wrapSupplier(() -> "v").get()).isEqualTo("v");
        assertThat(consumed).hasToString("cards");
    }

    @Test
    void a_propagating_executor_runs_each_task_with_the_binding_of_its_submitter() throws Exception {
        leak_on_the_worker(BRAVO);
        Executor plain = command -> pool.execute(command);
        Executor propagating = TenantContext.propagating(plain);
        CompletableFuture<Seen> underAcme = new CompletableFuture<>();
        CompletableFuture<Seen> underNone = new CompletableFuture<>();

        TenantContext.runAs(ACME, () -> propagating.execute(() -> underAcme.complete(Seen.now())));
        propagating.execute(() -> underNone.complete(Seen.now()));

        assertThat(propagating).isNotInstanceOf(ExecutorService.class);
        assertThat(underAcme.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(Seen.of(ACME, "worker"));
        assertThat(underNone.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(Seen.none("worker"));
        assertThat(probe_the_worker()).isEqualTo(Seen.of(BRAVO, "worker"));
    }

    @Test
    void every_way_of_submitting_to_a_propagating_executor_service_carries_the_submitters_tenant() throws Exception {
        leak_on_the_worker(BRAVO);
        ExecutorService service = TenantContext.propagating(pool);
        CompletableFuture<Seen> executed = new CompletableFuture<>();
        CompletableFuture<Seen> submittedRunnable = new CompletableFuture<>();
        CompletableFuture<Seen> submittedWithResult = new CompletableFuture<>();
        Callable<Seen> now = Seen::now;

        List<Future<Seen>> results = TenantContext.callAs(ACME, () -> {
            service.execute(() -> executed.complete(Seen.now()));
            service.submit(() -> {
                submittedRunnable.complete(Seen.now());
            }).get(TIMEOUT, TimeUnit.SECONDS);
            assertThat(service.submit(() -> {
                submittedWithResult.complete(Seen.now());
            }, "done").get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo("done");
            List<Future<Seen>> futures = new ArrayList<>();
            futures.add(service.submit(now));
            futures.addAll(service.invokeAll(List.of(now, now)));
            futures.addAll(service.invokeAll(List.of(now), TIMEOUT, TimeUnit.SECONDS));
            futures.add(CompletableFuture.completedFuture(service.invokeAny(List.of(now))));
            futures.add(CompletableFuture.completedFuture(
                    service.invokeAny(List.of(now), TIMEOUT, TimeUnit.SECONDS)));
            return futures;
        });

        assertThat(executed.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(Seen.of(ACME, "worker"));
        assertThat(submittedRunnable.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(Seen.of(ACME, "worker"));
        assertThat(submittedWithResult.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(Seen.of(ACME, "worker"));
        assertThat(results).hasSize(6);
        for (Future<Seen> result : results) {
            assertThat(result.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(Seen.of(ACME, "worker"));
        }
        assertThat(probe_the_worker()).isEqualTo(Seen.of(BRAVO, "worker"));
    }

    @Test
    void tasks_of_different_submitters_each_see_their_own_tenant() throws Exception {
        ExecutorService service = TenantContext.propagating(pool);

        Future<Seen> forAcme = TenantContext.callAs(ACME, () -> service.submit(Seen::now));
        Future<Seen> forBravo = TenantContext.callAs(BRAVO, () -> service.submit(Seen::now));
        Future<Seen> forNone = service.submit(Seen::now);

        assertThat(forAcme.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(Seen.of(ACME, "worker"));
        assertThat(forBravo.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(Seen.of(BRAVO, "worker"));
        assertThat(forNone.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(Seen.none("worker"));
    }

    @Test
    void propagating_wraps_once_and_controls_the_delegates_lifecycle() throws Exception {
        ExecutorService service = TenantContext.propagating(pool);

        assertThat(TenantContext.propagating(service)).isSameAs(service);
        assertThat(TenantContext.propagating((Executor) pool)).isInstanceOf(ExecutorService.class);
        service.shutdown();
        assertThat(pool.isShutdown()).isTrue();
        assertThat(service.isShutdown()).isTrue();
        assertThat(service.awaitTermination(TIMEOUT, TimeUnit.SECONDS)).isTrue();
        assertThat(service.isTerminated()).isTrue();
    }

    @Test
    void completable_future_stages_with_wrapped_functions_run_for_the_tenant_that_built_the_chain() throws Exception {
        leak_on_the_worker(BRAVO);
        CompletableFuture<Void> gate = new CompletableFuture<>();

        CompletableFuture<List<Seen>> chain = TenantContext.callAs(ACME, () -> {
            CompletableFuture<Seen> first = CompletableFuture.supplyAsync(TenantContext.wrapSupplier(() -> {
                gate.join();
                return Seen.now();
            }), pool);
            CompletableFuture<List<Seen>> second = first.thenApplyAsync(
                    TenantContext.wrapFunction((Seen seen) -> List.of(seen, Seen.now())), pool);
            CompletableFuture<Seen> other = CompletableFuture.supplyAsync(Seen::now, TenantContext.propagating(pool));
            return second.thenCombineAsync(other, TenantContext.wrapBiFunction((List<Seen> seen, Seen third) ->
                    List.of(seen.get(0), seen.get(1), third, Seen.now())), pool);
        });
        CompletableFuture<Seen> accepted = new CompletableFuture<>();
        chain.thenAcceptAsync(TenantContext.callAs(ACME,
                () -> TenantContext.wrapConsumer((List<Seen> seen) -> accepted.complete(Seen.now()))), pool);

        gate.complete(null);

        assertThat(chain.get(TIMEOUT, TimeUnit.SECONDS)).containsOnly(Seen.of(ACME, "worker"));
        assertThat(accepted.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(Seen.of(ACME, "worker"));
        assertThat(probe_the_worker()).isEqualTo(Seen.of(BRAVO, "worker"));
    }

    @Test
    void a_wrapped_function_keeps_the_tenant_it_was_wrapped_under_whatever_stage_runs_it() throws Exception {
        Function<String, Seen> forBravo = TenantContext.callAs(BRAVO, () -> TenantContext.wrapFunction(x -> Seen.now()));

        Seen seen = TenantContext.callAs(ACME,
                () -> CompletableFuture.supplyAsync(() -> "x", pool).thenApplyAsync(forBravo, pool))
                .get(TIMEOUT, TimeUnit.SECONDS);

        assertThat(seen).isEqualTo(Seen.of(BRAVO, "worker"));
    }
}
