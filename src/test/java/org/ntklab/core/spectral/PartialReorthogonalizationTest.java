package org.ntklab.core.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** PARTIAL reorthogonalisation gives FULL's result to rounding, on planted spectra. */
class PartialReorthogonalizationTest {

    /**
     * Relative difference of Ritz values between FULL and PARTIAL in double: a semi-orthogonal basis
     * (|q_i^T q_k| <= sqrt(eps)) makes T_k the projection of A up to O(eps ||A||) per step (Simon 1984),
     * so converged extreme Ritz values agree to a few hundred eps over ~100 steps; 1e-12 is ~4500 eps.
     */
    private static final double DOUBLE_ROUNDING = 1e-12;
    /** The same in float32: ~100 eps_32 over the run's steps. */
    private static final double FLOAT_ROUNDING = 1e-5;

    @ParameterizedTest
    @CsvSource({
        "DOUBLE, 200, 1e-10, 150", // converges: the run stops on the residual test
        "DOUBLE, 300, 1e-6, 100",  // the service's default tolerance and iterations
        "DOUBLE, 400, 1e-300, 150", // runs until |s_k| underflows: orthogonality lost many times over
        "FLOAT, 200, 1e-5, 150"})
    void partialEqualsFullToRounding(DataType dtype, int p, double tolerance, int maxIterations) {
        INDArray a = PlantedSpectrum.matrix(PlantedSpectrum.spikedBulk(p, 3.7, -5.2, 1.0, p), 7L * p).castTo(dtype);
        LanczosOptions full = LanczosOptions.defaults(99).withTolerance(tolerance).withMaxIterations(maxIterations);
        LanczosOptions partial = full.withReorthogonalization(Reorthogonalization.PARTIAL);

        SpectrumEstimate f = Lanczos.estimate(LinearOperator.dense(a), full);
        SpectrumEstimate q = Lanczos.estimate(LinearOperator.dense(a), partial);

        double rounding = (dtype == DataType.FLOAT ? FLOAT_ROUNDING : DOUBLE_ROUNDING) * f.norm();
        assertThat(f.reorthogonalization()).isEqualTo(Reorthogonalization.FULL);
        assertThat(q.reorthogonalization()).isEqualTo(Reorthogonalization.PARTIAL);
        assertThat(q.lambdaMax()).isCloseTo(f.lambdaMax(), within(rounding));
        assertThat(q.lambdaMin()).isCloseTo(f.lambdaMin(), within(rounding));
        assertThat(q.norm()).isCloseTo(f.norm(), within(rounding));
        assertThat(q.converged()).isEqualTo(f.converged());
        assertThat(q.iterations()).isCloseTo(f.iterations(), within(1));
        if (f.converged()) {
            assertThat(q.residual()).isLessThanOrEqualTo(2.0 * tolerance * q.norm() + rounding);
        }
        // the planted extremes themselves (a third truth beside FULL)
        assertThat(q.lambdaMax()).isCloseTo(3.7, within(dtype == DataType.FLOAT ? 1e-4 : 1e-8));
        assertThat(q.lambdaMin()).isCloseTo(-5.2, within(dtype == DataType.FLOAT ? 1e-4 : 1e-8));
    }

    @ParameterizedTest
    @CsvSource({"150, 3", "300, 4"})
    void aClusteredPositiveSpectrumAsAKernelHas(int p, long seed) {
        // A Gram matrix of rank 40: many eigenvalues converge early, where orthogonality is lost fastest.
        INDArray a = PlantedSpectrum.gram(p, 40, seed);
        LanczosOptions full = LanczosOptions.defaults(5).withTolerance(1e-10).withMaxIterations(120);
        SpectrumEstimate f = Lanczos.estimate(LinearOperator.dense(a), full);
        SpectrumEstimate q = Lanczos.estimate(LinearOperator.dense(a),
                full.withReorthogonalization(Reorthogonalization.PARTIAL));
        assertThat(q.lambdaMax()).isCloseTo(f.lambdaMax(), within(DOUBLE_ROUNDING * f.norm()));
        assertThat(q.lambdaMin()).isCloseTo(f.lambdaMin(), within(DOUBLE_ROUNDING * f.norm()));
        assertThat(q.converged()).isEqualTo(f.converged()).isTrue();
    }
}
