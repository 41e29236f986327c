package io.tenantry.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/** Draws the parts of generated inputs for properties run by {@link io.tenantry.tck.Trials}. */
final class Draw {

    private Draw() {
    }

    /** One of {@code choices}, each equally likely. */
    static <T> T oneOf(SplittableRandom random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** A number from {@code min} to {@code max}, both included. */
    static int between(SplittableRandom random, int min, int max) {
        return random.nextInt(min, max + 1);
    }

    /** True with probability {@code p}. */
    static boolean chance(SplittableRandom random, double p) {
        return random.nextDouble() < p;
    }

    /** {@code min} to {@code max} elements (uniformly many), each drawn by {@code element}. */
    static <T> List<T> list(SplittableRandom random, int min, int max, Function<SplittableRandom, T> element) {
        int size = between(random, min, max);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(random));
        }
        return list;
    }
}
