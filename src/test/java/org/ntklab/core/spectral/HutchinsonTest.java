package org.ntklab.core.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HutchinsonTest {

    /** Seeds of the repeated estimates. */
    private static final int SEEDS = 200;
    /** Samples per estimate. */
    private static final int SAMPLES = 50;
    /**
     * Every estimate within 4 of its own standard errors: |t| > 4 has probability ~3e-4 for a
     * t statistic with 49 degrees of freedom, so with fixed seeds a rare miss is not expected.
     */
    private static final double STANDARD_ERRORS = 4.0;
    /**
     * The mean of SE^2 over 200 seeds against the exact 2 (||A||_F^2 - sum A_ii^2) / R: each SE^2
     * is a sample variance of 50 terms, so the mean over 200 has a relative spread of about
     * sqrt(2 / (49 * 200)) ~ 1.5% (more with heavy tails); 10% is a comfortable bound that still
     * rejects a wrong formula (e.g. a missing factor 2 or dividing by R twice).
     */
    private static final double VARIANCE_RELATIVE_TOLERANCE = 0.10;
    /**
     * The sample variance of the 200 estimates against the exact variance: a chi-square with 199
     * degrees of freedom has a relative spread of sqrt(2 / 199) ~ 10%; 25% is 2.5 of those.
     */
    private static final double SPREAD_RELATIVE_TOLERANCE = 0.25;

    private static double trace(INDArray a) {
        double t = 0;
        for (int i = 0; i < a.rows(); i++) {
            t += a.getDouble(i, i);
        }
        return t;
    }

    /** 2 (||A||_F^2 - sum_i A_ii^2): the variance of v^T A v for a Rademacher v and symmetric A. */
    static double termVariance(INDArray a) {
        double frob = a.mul(a).sumNumber().doubleValue();
        double diag = 0;
        for (int i = 0; i < a.rows(); i++) {
            diag += a.getDouble(i, i) * a.getDouble(i, i);
        }
        return 2 * (frob - diag);
    }

    @Test
    void diagonalMatrixHasAnExactEstimateAndZeroError() {
        INDArray d = Nd4j.diag(Nd4j.createFromArray(1.5, -2.0, 0.25, 4.0));
        TraceEstimate t = Hutchinson.estimate(LinearOperator.dense(d), 5, 3);
        assertThat(t.estimate()).isCloseTo(3.75, within(1e-14));
        assertThat(t.standardError()).isZero();
        assertThat(t.samples()).isEqualTo(5);
    }

    @Test
    void estimatesAreUnbiasedWithinTheirStandardErrorsWhichMatchTheExactVariance() {
        INDArray a = PlantedSpectrum.randomSymmetric(12, 4);
        double exact = trace(a);
        double sumSquaredErrors = 0;
        double sum = 0;
        double sumSquares = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            TraceEstimate t = Hutchinson.estimate(LinearOperator.dense(a), SAMPLES, seed);
            assertThat(Math.abs(t.estimate() - exact)).as("seed %d", seed)
                    .isLessThanOrEqualTo(STANDARD_ERRORS * t.standardError());
            sumSquaredErrors += t.standardError() * t.standardError();
            sum += t.estimate();
            sumSquares += t.estimate() * t.estimate();
        }
        double exactVariance = termVariance(a) / SAMPLES;
        assertThat(sumSquaredErrors / SEEDS).isCloseTo(exactVariance, within(VARIANCE_RELATIVE_TOLERANCE * exactVariance));
        double mean = sum / SEEDS;
        double spread = (sumSquares - SEEDS * mean * mean) / (SEEDS - 1);
        assertThat(spread).isCloseTo(exactVariance, within(SPREAD_RELATIVE_TOLERANCE * exactVariance));
        assertThat(Math.abs(mean - exact)).isLessThanOrEqualTo(STANDARD_ERRORS * Math.sqrt(exactVariance / SEEDS));
    }

    @Test
    void sameSeedSameEstimate() {
        INDArray a = PlantedSpectrum.randomSymmetric(6, 1);
        assertThat(Hutchinson.estimate(LinearOperator.dense(a), 4, 9))
                .isEqualTo(Hutchinson.estimate(LinearOperator.dense(a), 4, 9));
    }
}
