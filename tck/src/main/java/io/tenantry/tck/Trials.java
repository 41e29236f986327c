package io.tenantry.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs a property: a check over many generated inputs. Each try draws its input from a
 * {@link SplittableRandom} seeded with a number that the failure report names, so that
 * {@code -Dtenantry.tck.seed=<seed>} replays the failing try first. A failing list of steps is
 * shrunk, by removing steps while the same kind of failure persists, before it is reported.
 */
final class Trials {

    /** System property: the seed of the first try (random when absent). */
    static final String SEED_PROPERTY = "tenantry.tck.seed";

    /** System property: the default number of tries of every property. */
    static final String TRIES_PROPERTY = "tenantry.tck.tries";

    private static final int DEFAULT_TRIES = 200;
    private static final int MAX_SHRINK_RUNS = 1_000;
    private static final long SEED_STEP = 0x9E3779B97F4A7C15L;

    private Trials() {
    }

    /** Returns the number of tries a property runs unless its suite says otherwise. */
    static int defaultTries() {
        return Math.max(1, Integer.getInteger(TRIES_PROPERTY, DEFAULT_TRIES));
    }

    /** Checks {@code property} on {@code tries} generated inputs; a failure is reported as generated. */
    static <T> void forAll(String name, int tries, Function<SplittableRandom, T> generator, Consumer<T> property) {
        run(name, tries, generator, property, (input, failure) -> new Report("input: " + input, failure));
    }

    /** Checks {@code property} on {@code tries} generated step lists; a failing list is shrunk first. */
    static <E> void forAllLists(String name, int tries, Function<SplittableRandom, List<E>> generator,
            Consumer<List<E>> property) {
        run(name, tries, generator, property, (steps, failure) -> shrink(property, steps, failure));
    }

    /** What a failure report says about the failing input, and the failure it shows. */
    private record Report(String text, Throwable failure) {
    }

    private static <T> void run(String name, int tries, Function<SplittableRandom, T> generator,
            Consumer<T> property, BiFunction<T, Throwable, Report> reporter) {
        long first = firstSeed();
        for (int i = 0; i < tries; i++) {
            long seed = first + i * SEED_STEP;
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

    private static <T> @Nullable Throwable failureOf(Consumer<T> property, T input) {
        try {
            property.accept(input);
            return null;
        } catch (AssertionError | RuntimeException e) {
            return e;
        }
    }

    /** Removes ever smaller runs of steps while the failure keeps its type; bounded in runs. */
    private static <E> Report shrink(Consumer<List<E>> property, List<E> steps, Throwable failure) {
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
