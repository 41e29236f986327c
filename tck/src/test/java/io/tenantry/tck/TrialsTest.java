package io.tenantry.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
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

    private static List<Integer> atLeastThree(List<Integer> numbers) {
        while (numbers.size() < 3) {
            numbers.add(0);
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
    @DisplayName("shrinking removes single steps, down to the one step that matters")
    void shrinksToASingleStep() {
        assertThatThrownBy(() -> Trials.forAllLists("never a 3", 200, TrialsTest::numbers,
                numbers -> assertThat(numbers).doesNotContain(3)))
                .isInstanceOf(AssertionError.class)
                .hasMessageMatching("(?s).*shrunk from \\d+ to 1 step:\n  1\\. 3\nbecause: .*");
    }

    @Test
    @DisplayName("shrinking keeps only lists that fail with the same class of exception")
    void shrinkingKeepsTheClassOfTheFailure() {
        AssertionError failure = catchThrowableOfType(AssertionError.class, () -> Trials.forAllLists(
                "never a 3 among three or more", 200, random -> atLeastThree(numbers(random)), numbers -> {
                    if (numbers.size() < 3) {
                        throw new IllegalStateException("too short");
                    }
                    assertThat(numbers).doesNotContain(3);
                }));
        assertThat(failure).hasMessageMatching("(?s).*shrunk from \\d+ to 3 steps:\n.*")
                .hasMessageContaining("  3. ").hasMessageNotContaining("too short");
        assertThat(failure.getCause()).isNotInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("an input that is not a list is reported as generated")
    void reportsTheInputOfForAll() {
        assertThatThrownBy(() -> Trials.forAll("below 5", 200, random -> random.nextInt(10),
                number -> assertThat(number).isLessThan(5)))
                .isInstanceOf(AssertionError.class)
                .hasMessageMatching("(?s)Property \"below 5\" failed on try \\d+ of 200 \\(seed -?\\d+; rerun with "
                        + "-Dtenantry\\.tck\\.seed=-?\\d+\\)\ninput: [5-9]\nbecause: .*")
                .cause().isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("a property needs at least one try")
    void refusesFewerThanOneTry() {
        assertThatThrownBy(() -> Trials.forAll("none", 0, random -> 1, value -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one try");
        assertThatThrownBy(() -> Trials.forAllLists("none", -1, random -> List.of(1), values -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("the default number of tries is 200, or what -Dtenantry.tck.tries says")
    void defaultTries() {
        String previous = System.getProperty(Trials.TRIES_PROPERTY);
        try {
            System.clearProperty(Trials.TRIES_PROPERTY);
            assertThat(Trials.defaultTries()).isEqualTo(200);
            System.setProperty(Trials.TRIES_PROPERTY, "7");
            assertThat(Trials.defaultTries()).isEqualTo(7);
            System.setProperty(Trials.TRIES_PROPERTY, "0");
            assertThat(Trials.defaultTries()).isEqualTo(1);
        } finally {
            restore(Trials.TRIES_PROPERTY, previous);
        }
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
            restore(Trials.SEED_PROPERTY, previous);
        }
    }

    @Test
    @DisplayName("consecutive tries draw unrelated inputs, not one stream shifted by a value")
    void consecutiveTriesAreNotShiftedCopies() {
        List<long[]> inputs = new ArrayList<>();
        Trials.forAll("records its inputs", 200, random -> new long[] {random.nextLong(), random.nextLong()},
                inputs::add);
        int shifted = 0;
        for (int i = 1; i < inputs.size(); i++) {
            shifted += inputs.get(i)[0] == inputs.get(i - 1)[1] ? 1 : 0;
        }
        assertThat(inputs).hasSize(200);
        assertThat(shifted).isZero();
    }

    private static void restore(String property, @Nullable String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
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
