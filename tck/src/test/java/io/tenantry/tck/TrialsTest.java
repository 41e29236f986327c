package io.tenantry.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrialsTest {

    private static List<Integer> numbers(SplittableRandom random) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = random.nextInt(60); i >= 0; i--) {
            numbers.add(random.nextInt(10));
        }
        return numbers;
    }

    private static void neverBothThreeAndSeven(List<Integer> numbers) {
        assertThat(numbers.contains(3) && numbers.contains(7)).as("holds both 3 and 7").isFalse();
    }

    @Test
    @DisplayName("a property that holds runs every try")
    void runsEveryTry() {
        AtomicInteger runs = new AtomicInteger();
        Trials.forAll("counts", 37, random -> random.nextInt(), value -> runs.incrementAndGet());
        assertThat(runs).hasValue(37);
    }

    @Test
    @DisplayName("a failing list is shrunk to the steps that matter")
    void shrinksAFailingList() {
        assertThatThrownBy(() -> Trials.forAllLists("never both", 200, TrialsTest::numbers,
                TrialsTest::neverBothThreeAndSeven))
                .isInstanceOf(AssertionError.class)
                .hasMessageMatching("(?s).*shrunk from \\d+ to 2 steps:\n  1\\. [37]\n  2\\. [37]\n.*");
    }

    @Test
    @DisplayName("the reported seed replays the failing try first")
    void reportedSeedReplaysTheFailure() {
        AssertionError first = catchFailure();
        Matcher seed = Pattern.compile("-Dtenantry\\.tck\\.seed=(-?\\d+)").matcher(first.getMessage());
        assertThat(seed.find()).isTrue();
        String previous = System.getProperty(Trials.SEED_PROPERTY);
        System.setProperty(Trials.SEED_PROPERTY, seed.group(1));
        try {
            assertThat(catchFailure()).hasMessageContaining("failed on try 1 of 200 (seed " + seed.group(1) + ";");
        } finally {
            if (previous == null) {
                System.clearProperty(Trials.SEED_PROPERTY);
            } else {
                System.setProperty(Trials.SEED_PROPERTY, previous);
            }
        }
    }

    private static AssertionError catchFailure() {
        try {
            Trials.forAll("never both", 200, TrialsTest::numbers, TrialsTest::neverBothThreeAndSeven);
        } catch (AssertionError e) {
            return e;
        }
        throw new AssertionError("the property was expected to fail");
    }
}
