package org.ntklab.core.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SpectralDensityTest {

    /** Quadrature weights sum to 1 and nodes of an invariant Krylov space are eigenvalues: float64 rounding. */
    private static final double ROUNDING = 1e-10;
    /**
     * The density's trapezoid integral: the grid spans 5 s beyond the extreme nodes (tail mass
     * 2 x 2.9e-7) and the trapezoid rule on a Gaussian of width s with spacing &lt;= s is exact to
     * far below that.
     */
    private static final double INTEGRAL_TOLERANCE = 1e-6;
    /** Seeds for the unbiasedness checks. */
    private static final int SEEDS = 300;
    /**
     * The mean over seeds within 4 standard errors of the seeds' spread (a fixed set of seeds, a
     * z-score of 4 has probability 6e-5).
     */
    private static final double STANDARD_ERRORS = 4.0;

    private static double trapezoid(SpectralDensity d) {
        double sum = 0;
        for (int g = 1; g < d.grid().length; g++) {
            sum += 0.5 * (d.values()[g] + d.values()[g - 1]) * (d.grid()[g] - d.grid()[g - 1]);
        }
        return sum;
    }

    @Test
    void enoughStepsRecoverAPlantedSpectrumAndTheDensityIntegratesToOne() {
        double[] lambda = {-3.0, -1.0, 0.5, 0.5, 2.0, 7.0};
        INDArray a = PlantedSpectrum.matrix(lambda, 8);
        SpectralDensity d = SpectralDensity.estimate(LinearOperator.dense(a), 3, 20, 400, null, 1);
        double[] distinct = {-3.0, -1.0, 0.5, 2.0, 7.0};
        for (int r = 0; r < 3; r++) {
            double[] theta = d.nodes().get(r);
            assertThat(theta).hasSize(distinct.length); // breakdown once the invariant space is found
            for (int j = 0; j < theta.length; j++) {
                assertThat(theta[j]).isCloseTo(distinct[j], within(ROUNDING * 7));
            }
            assertThat(Arrays.stream(d.weights().get(r)).sum()).isCloseTo(1.0, within(ROUNDING));
        }
        assertThat(d.sigma()).isCloseTo(10.0 / 100, within(1e-12));
        assertThat(d.grid()[0]).isLessThanOrEqualTo(-3.0 - 4 * d.sigma());
        assertThat(d.grid()[d.grid().length - 1]).isGreaterThanOrEqualTo(7.0 + 4 * d.sigma());
        assertThat(trapezoid(d)).isCloseTo(1.0, within(INTEGRAL_TOLERANCE));
    }

    @Test
    void zeroOperatorUsesTheFallbackWidth() {
        SpectralDensity d = SpectralDensity.estimate(LinearOperator.dense(Nd4j.zeros(DataType.DOUBLE, 5, 5)), 2, 10,
                50, null, 3);
        assertThat(d.sigma()).isEqualTo(SpectralDensity.FALLBACK_SIGMA);
        assertThat(d.nodes()).allSatisfy(theta -> assertThat(theta).containsExactly(0.0));
        assertThat(trapezoid(d)).isCloseTo(1.0, within(INTEGRAL_TOLERANCE));
    }

    @Test
    void firstTwoMomentsAreUnbiasedForTheNormalisedTraces() {
        INDArray a = PlantedSpectrum.randomSymmetric(30, 6);
        int p = 30;
        double tr1 = 0;
        for (int i = 0; i < p; i++) {
            tr1 += a.getDouble(i, i);
        }
        double tr2 = a.mul(a).sumNumber().doubleValue();
        double[] m1 = new double[SEEDS];
        double[] m2 = new double[SEEDS];
        for (int seed = 0; seed < SEEDS; seed++) {
            // 3 steps: the quadrature is exact for degree <= 5, so moments 1 and 2 are v^T A^i v / p
            SpectralDensity d = SpectralDensity.estimate(LinearOperator.dense(a), 1, 3, 10, 0.1, seed);
            m1[seed] = d.moment(1);
            m2[seed] = d.moment(2);
        }
        assertUnbiased(m1, tr1 / p);
        assertUnbiased(m2, tr2 / p);
    }

    private static void assertUnbiased(double[] samples, double expected) {
        double mean = Arrays.stream(samples).average().orElseThrow();
        double var = Arrays.stream(samples).map(s -> (s - mean) * (s - mean)).sum() / (samples.length - 1);
        assertThat(var).isPositive();
        assertThat(Math.abs(mean - expected)).isLessThanOrEqualTo(STANDARD_ERRORS * Math.sqrt(var / samples.length));
    }

    @Test
    void quadratureMomentsOfOneRunAreTheQuadraticFormsOfItsStart() {
        // the identity behind the unbiasedness: sum_j tau_j theta_j^i = q_0^T A^i q_0 for i <= 2q - 1
        INDArray a = PlantedSpectrum.randomSymmetric(9, 2);
        INDArray v = Nd4j.createFromArray(1.0, -1.0, 1.0, 1.0, -1.0, -1.0, 1.0, -1.0, 1.0);
        Lanczos.Tridiagonal t = Lanczos.tridiagonal(LinearOperator.dense(a), v, 2);
        SymmetricEigen eig = t.decompose();
        double m1 = 0;
        double m2 = 0;
        double m3 = 0;
        for (int j = 0; j < t.size(); j++) {
            double tau = eig.eigenvectorComponent(j, 0) * eig.eigenvectorComponent(j, 0);
            double theta = eig.eigenvalue(j);
            m1 += tau * theta;
            m2 += tau * theta * theta;
            m3 += tau * theta * theta * theta;
        }
        INDArray q = v.div(3.0); // ||v|| = sqrt(9)
        INDArray aq = a.mmul(q.reshape(9, 1)).reshape(9);
        INDArray a2q = a.mmul(aq.reshape(9, 1)).reshape(9);
        assertThat(m1).isCloseTo(q.mul(aq).sumNumber().doubleValue(), within(ROUNDING));
        assertThat(m2).isCloseTo(aq.mul(aq).sumNumber().doubleValue(), within(ROUNDING * 10));
        assertThat(m3).isCloseTo(aq.mul(a2q).sumNumber().doubleValue(), within(ROUNDING * 100));
    }
}
