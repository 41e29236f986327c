package io.tenantry.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs a property: a check over many generated inputs, from a plain JUnit Jupiter test method.
 * The kit's contracts run on it, and adapters and users may run their own properties on it too:
 *
 * <pre>{@code
 * Trials.forAll("a confined filter never matches another tenant's document", 1_000,
 *         random -> new Sample(filter(random), tenant(random), document(random)),
 *         sample -> assertThat(matches(confine(sample), sample.document())).isEqualTo(...));
 * }</pre>
 *
 * <p><b>Contract.</b> A property holds when it returns normally for every input. It fails by throwing
 * an {@link AssertionError} or a {@link RuntimeException}; anything else (an {@link Error} other
 * than an assertion failure) escapes at once, unreported. The tries run one after another on the
 * calling thread, each as {@code property.accept(generator.apply(random))}, and the first failure
 * ends the run with an {@code AssertionError} that names the property, the try, its seed and the
 * input, and has the property's failure as its cause. Edge cases are not mixed in: check the inputs
 * that matter most explicitly, or make the generator draw them often.
 *
 * <p><b>Seeds and replay.</b> Try {@code i} (counting from 0) draws its input from a fresh
 * {@link SplittableRandom} seeded with {@code first + i * 0x9E3779B97F4A7C15L}, so every input
 * depends on its seed alone. The first seed is random, or the value of the system property
 * {@code tenantry.tck.seed}. A failure report says, for example,
 * {@code (seed -1079456050178698578; rerun with -Dtenantry.tck.seed=-1079456050178698578)}: with
 * that flag the failing input is generated again by the first try. The flag applies to every
 * property of the run, so rerun the one failing test, e.g. {@code -Dtest=MyProperties#myProperty}.
 *
 * <p><b>Shrinking.</b> {@link #forAllLists} shrinks a failing list before reporting it: it removes
 * runs of elements, halving the run length down to single elements, and keeps each removal after
 * which the property still fails with an exception of the same class, until no single element can
 * be removed or 1,000 re-runs have been spent. It never tries the empty list. The report lists the
 * remaining elements, numbered, with their {@code toString()}, and the failure of the last failing
 * run. Shrinking assumes that every sub-list of a generated list is a valid input; when that does
 * not hold (a list that must contain one particular element, say), use {@link #forAll} instead.
 * Elements themselves are not simplified.
 *
 * <p><b>Threads and state.</b> The class holds no state; its methods may be called from any number
 * of threads at once. The property runs on the calling thread and is called again, on the same
 * thread, while shrinking: a property over a store must start from a known state on every call
 * (clear the store at the start of the property, not once before the run).
 *
 * <p><b>Why not jqwik.</b> From version 1.10, jqwik's maintainer asks that it not be used by AI
 * coding agents, and Tenantry is developed with one. This runner covers the little of property
 * testing that Tenantry's properties need.
 */
public final class Trials {

    /** System property: the seed of the first try (random when absent). */
    static final String SEED_PROPERTY = "tenantry.tck.seed";

    /** System property: the default number of tries of every property. */
    static final String TRIES_PROPERTY = "tenantry.tck.tries";

    private static final int DEFAULT_TRIES = 200;
    private static final int MAX_SHRINK_RUNS = 1_000;
    private static final long SEED_STEP = 0x9E3779B97F4A7C15L;

    private Trials() {
    }

    /** The MurmurHash3 finalizer: every bit of the result depends on every bit of {@code z}. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /**
     * Returns the number of tries a property runs unless it says otherwise: the system property
     * {@code tenantry.tck.tries}, or 200, and at least 1. The property is read on every call.
     */
    public static int defaultTries() {
        return Math.max(1, Integer.getInteger(TRIES_PROPERTY, DEFAULT_TRIES));
    }

    /**
     * Checks {@code property} on {@code tries} inputs made by {@code generator}. A failing input is
     * reported as generated, by its {@code toString()}.
     *
     * @param name what the property states, for the failure report
     * @param tries how many inputs to check, at least 1
     * @param generator makes one input from the given random source, which it must use as its only
     *     source of randomness so that the seed replays it
     * @param property checks one input, failing with an {@code AssertionError} or a {@code RuntimeException}
     * @param <T> the input type
     * @throws AssertionError if the property fails on an input
     * @throws IllegalArgumentException if {@code tries} is less than 1
     */
    public static <T> void forAll(String name, int tries, Function<? super SplittableRandom, ? extends T> generator,
            Consumer<? super T> property) {
        run(name, tries, generator, property, (input, failure) -> new Report("input: " + input, failure));
    }

    /**
     * Checks {@code property} on {@code tries} lists made by {@code generator}, such as sequences of
     * operations. A failing list is shrunk, as the {@linkplain Trials class} describes, and reported
     * element by element.
     *
     * @param name what the property states, for the failure report
     * @param tries how many lists to check, at least 1
     * @param generator makes one list from the given random source, which it must use as its only
     *     source of randomness so that the seed replays it; every sub-list of it must be a valid input
     * @param property checks one list, failing with an {@code AssertionError} or a {@code RuntimeException};
     *     it must not modify the list
     * @param <E> the element type
     * @throws AssertionError if the property fails on a list
     * @throws IllegalArgumentException if {@code tries} is less than 1
     */
    public static <E> void forAllLists(String name, int tries,
            Function<? super SplittableRandom, ? extends List<E>> generator, Consumer<? super List<E>> property) {
        run(name, tries, generator, property, (steps, failure) -> shrink(property, steps, failure));
    }

    /** What a failure report says about the failing input, and the failure it shows. */
    private record Report(String text, Throwable failure) {
    }

    private static <T> void run(String name, int tries, Function<? super SplittableRandom, ? extends T> generator,
            Consumer<? super T> property, BiFunction<T, Throwable, Report> reporter) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(property, "property");
        if (tries < 1) {
            throw new IllegalArgumentException("a property needs at least one try, not " + tries);
        }
        long first = firstSeed();
        for (int i = 0; i < tries; i++) {
            // each try's seed mixed: SplittableRandom(s + SEED_STEP) draws the stream of SplittableRandom(s)
            // shifted by one value, so unmixed seeds made consecutive tries near copies of each other
            long seed = i == 0 ? first : mix(first + i * SEED_STEP);
            T input = generator.apply(new SplittableRandom(seed));
            Throwable failure = failureOf(property, input);
            if (failure != null) {
                Report report = reporter.apply(input, failure);
                throw new AssertionError("Property \"" + name + "\" failed on try " + (i + 1) + " of " + tries
                        + " (seed " + seed + "; rerun with -D" + SEED_PROPERTY + "=" + seed + ")\n" + report.text
                        + "\nbecause: " + report.failure, report.failure);
            }
        }
    }

    private static long firstSeed() {
        Long fixed = Long.getLong(SEED_PROPERTY);
        return fixed != null ? fixed : ThreadLocalRandom.current().nextLong();
    }

    private static <T> @Nullable Throwable failureOf(Consumer<? super T> property, T input) {
        try {
            property.accept(input);
            return null;
        } catch (AssertionError | RuntimeException e) {
            return e;
        }
    }

    /** Removes ever smaller runs of steps while the failure keeps its type; bounded in runs. */
    private static <E> Report shrink(Consumer<? super List<E>> property, List<E> steps, Throwable failure) {
        List<E> current = steps;
        Throwable currentFailure = failure;
        int runs = 0;
        int chunk = Math.max(1, current.size() / 2);
        while (runs < MAX_SHRINK_RUNS) {
            boolean removed = false;
            for (int start = 0; start + chunk <= current.size() && runs < MAX_SHRINK_RUNS; ) {
                List<E> candidate = new ArrayList<>(current.subList(0, start));
                candidate.addAll(current.subList(start + chunk, current.size()));
                runs++;
                Throwable again = candidate.isEmpty() ? null : failureOf(property, candidate);
                if (again != null && again.getClass() == failure.getClass()) {
                    current = candidate;
                    currentFailure = again;
                    removed = true;
                } else {
                    start += chunk;
                }
            }
            if (!removed) {
                if (chunk == 1) {
                    break;
                }
                chunk = Math.max(1, chunk / 2);
            }
        }
        return new Report("shrunk from " + steps.size() + " to " + current.size()
                + (current.size() == 1 ? " step:" : " steps:") + listing(current), currentFailure);
    }

    private static String listing(List<?> steps) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            out.append("\n  ").append(i + 1).append(". ").append(steps.get(i));
        }
        return out.toString();
    }
}
