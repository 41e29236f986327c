package io.tenantry;

import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A small property-testing harness: checks a property on given edge cases and then on generated
 * samples. Runs are seeded: a failure names the seed, and {@code -Dtenantry.seed=N} replays exactly
 * the same samples. There is no shrinking, so generators keep samples small enough to read.
 */
final class Property {

    /** One seed per test run, shared by every property so that one flag replays a whole run. */
    private static final long SEED = Long.getLong("tenantry.seed", new SecureRandom().nextLong());

    private Property() {
    }

    /** Makes one sample from a source of randomness. */
    @FunctionalInterface
    interface Gen<T> {
        T next(SplittableRandom random);
    }

    static <T> void forAll(int tries, Gen<T> gen, Consumer<T> property) {
        forAll(tries, List.of(), gen, property);
    }

    /**
     * Checks {@code property} on every edge case, then on {@code tries} samples from {@code gen}.
     *
     * @throws AssertionError naming the sample, try and seed of the first sample the property fails on
     */
    static <T> void forAll(int tries, List<T> edgeCases, Gen<T> gen, Consumer<T> property) {
        for (T sample : edgeCases) {
            check(sample, property, "an edge case");
        }
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 1; i <= tries; i++) {
            T sample = gen.next(random);
            check(sample, property, "try " + i + " of " + tries + " (seed " + SEED + "; replay with -Dtenantry.seed="
                    + SEED + ")");
        }
    }

    private static <T> void check(T sample, Consumer<T> property, String where) {
        try {
            property.accept(sample);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("Property falsified at " + where + "\n  sample: " + abbreviate(String.valueOf(sample))
                    + "\n  failure: " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 2_000 ? text : text.substring(0, 2_000) + "... (" + text.length() + " chars)";
    }
}
