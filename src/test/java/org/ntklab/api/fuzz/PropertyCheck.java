package org.ntklab.api.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.quicktheories.core.Gen;

/**
 * One property run by QuickTheories from a plain JUnit test: {@code tries} values of a generator,
 * then, on a failure, shrinking bounded in time (each try here is an HTTP round trip, some run an
 * experiment, so unbounded shrinking could take an hour). Past {@link #SHRINK_TIME} the remaining
 * shrink candidates are passed over, and QuickTheories reports the smallest failing value found so
 * far, with the seed to replay it ({@code -DQT_SEED=...}).
 *
 * <p>It also tallies labelled outcomes of the tries that passed, so that a test can check its
 * generators reach the cases it means to cover (e.g. at least 10% of specs run to SUCCEEDED).
 */
final class PropertyCheck<T> {

    /** How long shrinking may search for a smaller failing value after the first failure. */
    static final Duration SHRINK_TIME = Duration.ofSeconds(10);
    /** At most this many shrink steps (each one try), whichever of this and the time comes first. */
    static final int SHRINK_CYCLES = 200;

    private final int tries;
    private final Gen<T> gen;
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private long firstFailure = -1;

    private PropertyCheck(int tries, Gen<T> gen) {
        this.tries = tries;
        this.gen = gen;
    }

    static <T> PropertyCheck<T> forAll(int tries, Gen<T> gen) {
        return new PropertyCheck<>(tries, gen);
    }

    /** Runs {@code property} on every generated value; throws the smallest failure found. */
    PropertyCheck<T> check(Consumer<T> property) {
        qt().withExamples(tries).withShrinkCycles(SHRINK_CYCLES).forAll(gen).checkAssert(value -> {
            if (firstFailure >= 0 && System.nanoTime() - firstFailure > SHRINK_TIME.toNanos()) {
                return; // shrinking's time is up: this candidate is not tried, the smallest so far stands
            }
            try {
                property.accept(value);
            } catch (AssertionError | RuntimeException e) {
                if (firstFailure < 0) {
                    firstFailure = System.nanoTime();
                }
                throw e;
            }
        });
        return this;
    }

    /** Counts one outcome of the try in progress (call it from the property, after its assertions). */
    void collect(Object outcome) {
        if (firstFailure < 0) {
            outcomes.merge(String.valueOf(outcome), 1, Integer::sum);
        }
    }

    /** Asserts that the outcomes equal to {@code outcome} number at least {@code count}. */
    PropertyCheck<T> atLeast(Object outcome, int count) {
        assertThat(count(outcome)).as("tries with outcome %s, of %s", outcome, outcomes).isGreaterThanOrEqualTo(count);
        return this;
    }

    /** Asserts that the outcomes equal to {@code outcome} are at least {@code percent} % of all counted. */
    PropertyCheck<T> atLeastPercent(Object outcome, double percent) {
        int all = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(100.0 * count(outcome) / Math.max(all, 1)).as("%% of tries with outcome %s, of %s", outcome, outcomes)
                .isGreaterThanOrEqualTo(percent);
        return this;
    }

    private int count(Object outcome) {
        return outcomes.getOrDefault(String.valueOf(outcome), 0);
    }
}
