package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.spi.AuditSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Several threads open, nest and close scopes and hand work to a small pool in every supported way,
 * in random interleavings. Every task must see exactly the binding its submitter had when it handed
 * the task over (a model stack of scopes says which), whatever ran before it on that worker, and no
 * worker may be left bound to anything afterwards.
 */
@SuppressWarnings("try") // scopes in try-with-resources are opened for their effect, not referenced
class TenantContextInterleavingProperties {

    static final List<TenantId> TENANTS = List.of(TenantId.of("t1"), TenantId.of("t2"), TenantId.of("t3"),
            TenantId.of("t4"));
    static final long TIMEOUT_SECONDS = 10;

    /** A binding as a task or thread sees it: a tenant, the system scope, or nothing. */
    record Binding(@Nullable TenantId tenant, boolean system) {
        static final Binding NONE = new Binding(null, false);
        static final Binding SYSTEM = new Binding(null, true);

        static Binding of(TenantId tenant) {
            return new Binding(tenant, false);
        }

        static Binding now() {
            return new Binding(TenantContext.find().orElse(null), TenantContext.isSystem());
        }

        @Nullable String mdc() {
            return tenant != null ? tenant.value() : system ? TenantContext.MDC_SYSTEM : null;
        }

        void expectNow(Queue<String> problems, String where) {
            Binding seen = now();
            String mdc = MDC.get(TenantContext.MDC_KEY);
            if (!seen.equals(this) || !Objects.equals(mdc, mdc())) {
                problems.add(where + " on " + Thread.currentThread().getName() + ": expected " + this + " but saw "
                        + seen + " (MDC " + mdc + ")");
            }
        }

        @Override
        public String toString() {
            return tenant != null ? tenant.value() : system ? "system" : "none";
        }
    }

    enum Kind { OPEN, OPEN_SYSTEM, CLOSE, RUN_AS_AND_SUBMIT, SUBMIT, SUBMIT_WRAPPED, ASYNC_CHAIN, INVOKE_ALL }

    /** What a task does besides looking at its binding. */
    enum Body {
        OBSERVE,
        /** opens and closes scopes of its own and checks they restore its binding */
        NESTED,
        /** opens a scope and never closes it, like a buggy task */
        LEAKY,
        /** throws after looking */
        THROWING
    }

    record Op(Kind kind, TenantId tenant, Body body) {
        @Override
        public String toString() {
            return kind + "(" + tenant + ", " + body + ")";
        }
    }

    record Scenario(int workers, List<List<Op>> scripts) {
    }

    static final class TaskFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TaskFailure() {
            super("planned task failure");
        }
    }

    @Test
    void tasks_see_exactly_the_binding_captured_when_they_were_handed_over_and_never_leak_it() {
        Property.forAll(200, TenantContextInterleavingProperties::scenario,
                scenario -> assertThat(run(scenario)).as("problems").isEmpty());
    }

    static Scenario scenario(SplittableRandom random) {
        int workers = 2 + random.nextInt(3);
        int submitters = 2 + random.nextInt(2);
        List<List<Op>> scripts = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            int length = Gens.length(random, 0, 30);
            List<Op> script = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
                Body body = Body.values()[random.nextInt(Body.values().length)];
                script.add(new Op(kind, Gens.pick(random, TENANTS), body));
            }
            scripts.add(script);
        }
        return new Scenario(workers, scripts);
    }

    /** Runs the scenario and returns what went wrong, if anything. */
    static List<String> run(Scenario scenario) {
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        Queue<Future<?>> handedOver = new ConcurrentLinkedQueue<>();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(scenario.workers(),
                task -> new Thread(task, "worker-" + threadNumber.incrementAndGet()));
        AuditSink previousSink = TenantContext.auditSink();
        TenantContext.auditSink(event -> { });
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> submitters = new ArrayList<>();
            for (int s = 0; s < scenario.scripts().size(); s++) {
                List<Op> script = scenario.scripts().get(s);
                String name = "submitter-" + s;
                Thread submitter = new Thread(() -> {
                    try {
                        start.await();
                        new Submitter(pool, problems, handedOver, name).run(script);
                    } catch (Throwable e) {
                        problems.add(name + " failed: " + e);
                    }
                }, name);
                submitters.add(submitter);
                submitter.start();
            }
            start.countDown();
            for (Thread submitter : submitters) {
                submitter.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                if (submitter.isAlive()) {
                    problems.add(submitter.getName() + " did not finish");
                }
            }
            for (Future<?> task : handedOver) {
                awaitTask(task, problems);
            }
            probeEveryWorker(pool, scenario.workers(), problems);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted");
        } finally {
            pool.shutdownNow();
            TenantContext.auditSink(previousSink);
        }
        return List.copyOf(problems);
    }

    private static void awaitTask(Future<?> task, Queue<String> problems) throws InterruptedException {
        try {
            task.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof TaskFailure)) {
                cause = cause.getCause();
            }
            if (cause == null) {
                problems.add("task failed unexpectedly: " + e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            problems.add("task did not finish");
        }
    }

    /**
     * Runs one unwrapped probe on each worker at once (a barrier holds them until all are running,
     * so each is on its own thread) and checks that nothing is bound there.
     */
    private static void probeEveryWorker(ExecutorService pool, int workers, Queue<String> problems)
            throws InterruptedException {
        CyclicBarrier allRunning = new CyclicBarrier(workers);
        List<Future<String>> probes = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            probes.add(pool.submit(() -> {
                Binding.NONE.expectNow(problems, "probe after all tasks");
                allRunning.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return Thread.currentThread().getName();
            }));
        }
        Set<String> probed = new HashSet<>();
        for (Future<String> probe : probes) {
            try {
                probed.add(probe.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                problems.add("probe failed: " + e);
            }
        }
        if (probed.size() != workers) {
            problems.add("probed " + probed + " instead of all " + workers + " workers");
        }
    }

    /** Plays one script on the current thread, keeping a model stack of its scopes. */
    private static final class Submitter {
        private final ExecutorService pool;
        private final ExecutorService propagating;
        private final Queue<String> problems;
        private final Queue<Future<?>> handedOver;
        private final String name;
        private final Deque<TenantScope> scopes = new ArrayDeque<>();
        private final Deque<Binding> model = new ArrayDeque<>();
        private int step;

        Submitter(ExecutorService pool, Queue<String> problems, Queue<Future<?>> handedOver, String name) {
            this.pool = pool;
            this.propagating = TenantContext.propagating(pool);
            this.problems = problems;
            this.handedOver = handedOver;
            this.name = name;
        }

        void run(List<Op> script) throws Exception {
            Binding.NONE.expectNow(problems, name + " before its script");
            for (Op op : script) {
                step++;
                play(op);
                expected().expectNow(problems, name + " after step " + step + " " + op);
            }
            while (!scopes.isEmpty()) {
                scopes.pop().close();
                model.pop();
            }
            Binding.NONE.expectNow(problems, name + " after closing all its scopes");
        }

        private Binding expected() {
            return model.isEmpty() ? Binding.NONE : model.peek();
        }

        private void play(Op op) throws Exception {
            String label = name + " step " + step + " " + op;
            switch (op.kind()) {
                case OPEN:
                    scopes.push(TenantContext.open(op.tenant()));
                    model.push(Binding.of(op.tenant()));
                    break;
                case OPEN_SYSTEM:
                    scopes.push(TenantContext.openSystem("interleaving property"));
                    model.push(Binding.SYSTEM);
                    break;
                case CLOSE:
                    if (!scopes.isEmpty()) {
                        scopes.pop().close();
                        model.pop();
                    }
                    break;
                case RUN_AS_AND_SUBMIT:
                    TenantContext.runAs(op.tenant(), () -> {
                        Binding.of(op.tenant()).expectNow(problems, label + " inside runAs");
                        handedOver.add(propagating.submit(task(Binding.of(op.tenant()), op, label)));
                    });
                    break;
                case SUBMIT:
                    handedOver.add(propagating.submit(task(expected(), op, label)));
                    break;
                case SUBMIT_WRAPPED:
                    handedOver.add(pool.submit(TenantContext.wrap(task(expected(), op, label))));
                    break;
                case ASYNC_CHAIN: {
                    Callable<Binding> first = task(expected(), op, label + " first stage");
                    Callable<Binding> second = task(expected(), op, label + " second stage");
                    handedOver.add(CompletableFuture.supplyAsync(TenantContext.wrapSupplier(() -> call(first)), pool)
                            .thenApplyAsync(TenantContext.wrapFunction((Binding seen) -> call(second)), pool));
                    break;
                }
                case INVOKE_ALL:
                    handedOver.addAll(propagating.invokeAll(List.of(task(expected(), op, label + " #1"),
                            task(expected(), op, label + " #2"))));
                    break;
                default:
                    throw new AssertionError(op.kind());
            }
        }

        private static Binding call(Callable<Binding> task) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** A task that checks it runs with {@code expected}, then does what {@code op.body()} says. */
        private Callable<Binding> task(Binding expected, Op op, String label) {
            return () -> {
                expected.expectNow(problems, label + " at start");
                switch (op.body()) {
                    case NESTED:
                        try (TenantScope inner = TenantContext.open(op.tenant())) {
                            Binding.of(op.tenant()).expectNow(problems, label + " in its own scope");
                            TenantContext.runAs(TENANTS.get(0), () -> { });
                            Binding.of(op.tenant()).expectNow(problems, label + " after runAs in its own scope");
                        }
                        expected.expectNow(problems, label + " after closing its own scope");
                        break;
                    case LEAKY:
                        TenantContext.open(op.tenant());
                        break;
                    case THROWING:
                        throw new TaskFailure();
                    default:
                        break;
                }
                return expected;
            };
        }
    }
}
