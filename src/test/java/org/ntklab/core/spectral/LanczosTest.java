package org.ntklab.core.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LanczosTest {

    /**
     * Relative eigenvalue error in double: residual tolerance 1e-6 gives an error of about
     * (1e-6 ||A||)^2 / gap ~ 1e-11 ||A|| for gaps of order ||A||; 1e-8 is the brief's target.
     */
    private static final double DOUBLE_RELATIVE = 1e-8;
    /**
     * Relative error in float32: every entry of the tridiagonal carries rounding of about
     * eps_32 ||A|| = 1.2e-7 ||A||, accumulated over up to sqrt(p) ~ 25 terms; 1e-5 keeps 3x headroom.
     */
    private static final double FLOAT_RELATIVE = 1e-5;
    /** The measured FULL residual equals the bound up to rounding, eps(dtype) ||A|| times a modest factor. */
    private static final double RESIDUAL_SLACK = 2.0;

    private static final LanczosOptions OPTIONS = LanczosOptions.defaults(20240611L);

    private static double relative(DataType dtype) {
        return dtype == DataType.FLOAT ? FLOAT_RELATIVE : DOUBLE_RELATIVE;
    }

    @ParameterizedTest
    @CsvSource({"DOUBLE, 200", "DOUBLE, 500", "FLOAT, 200", "FLOAT, 500"})
    void findsPlantedIndefiniteExtremes(DataType dtype, int p) {
        INDArray a = PlantedSpectrum.matrix(PlantedSpectrum.spikedBulk(p, 3.7, -5.2, 1.0, p), 11L * p);

        SpectrumEstimate e = Lanczos.estimate(LinearOperator.dense(a.castTo(dtype)), OPTIONS);

        double tol = relative(dtype) * 5.2;
        assertThat(e.converged()).isTrue();
        assertThat(e.reorthogonalization()).isEqualTo(Reorthogonalization.FULL);
        assertThat(e.lambdaMax()).isCloseTo(3.7, within(tol));
        assertThat(e.lambdaMin()).isCloseTo(-5.2, within(tol));
        assertThat(e.norm()).isCloseTo(5.2, within(tol));
        assertThat(e.iterations()).isBetween(2, OPTIONS.maxIterations());
        assertThat(e.residual()).isLessThanOrEqualTo(RESIDUAL_SLACK * OPTIONS.tolerance() * e.norm());
    }

    @ParameterizedTest
    @CsvSource({"10, 1", "60, 2", "150, 3"})
    void matchesDenseEigendecompositionOfRandomSymmetricMatrix(int p, long seed) {
        INDArray a = PlantedSpectrum.randomSymmetric(p, seed);
        double[] dense = SymmetricEigen.eigenvalues(a);
        double lambdaMin = dense[0];
        double lambdaMax = dense[p - 1];
        double norm = Math.max(Math.abs(lambdaMin), Math.abs(lambdaMax));

        SpectrumEstimate e = Lanczos.estimate(LinearOperator.dense(a), OPTIONS.withMaxIterations(200));

        assertThat(e.converged()).isTrue();
        assertThat(e.lambdaMax()).isCloseTo(lambdaMax, within(DOUBLE_RELATIVE * norm));
        assertThat(e.lambdaMin()).isCloseTo(lambdaMin, within(DOUBLE_RELATIVE * norm));
        assertThat(e.norm()).isCloseTo(norm, within(DOUBLE_RELATIVE * norm));
    }

    /** Power iteration converges like (0.999)^k here; Lanczos resolves both ends and the sign. */
    @Test
    void resolvesNearPlusMinusPair() {
        INDArray a = PlantedSpectrum.matrix(PlantedSpectrum.spikedBulk(300, 1.0, -1.0 + 1e-3, 0.5, 5), 6);

        SpectrumEstimate e = Lanczos.estimate(LinearOperator.dense(a), OPTIONS);

        assertThat(e.converged()).isTrue();
        assertThat(e.lambdaMax()).isCloseTo(1.0, within(DOUBLE_RELATIVE));
        assertThat(e.lambdaMin()).isCloseTo(-1.0 + 1e-3, within(DOUBLE_RELATIVE));
        assertThat(e.norm()).isCloseTo(1.0, within(DOUBLE_RELATIVE));
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void zeroOperatorBreaksDownAtOnceWithExactZeros(DataType dtype) {
        SpectrumEstimate e = Lanczos.estimate(LinearOperator.dense(Nd4j.zeros(dtype, 50, 50)), OPTIONS);

        assertThat(e).isEqualTo(new SpectrumEstimate(0.0, 0.0, 0.0, 0.0, 1, true, Reorthogonalization.FULL));
    }

    @ParameterizedTest
    @CsvSource({"1.0", "-1.0"})
    void rankOneOperatorBreaksDownAfterTwoSteps(double sign) {
        INDArray u = Nd4j.create(new double[] {3, -1, 2, 0.5, 4, -2, 1, 1, -3, 2});
        double uu = 49.25; // |u|^2 = 9 + 1 + 4 + 0.25 + 16 + 4 + 1 + 1 + 9 + 4
        INDArray a = u.reshape(10, 1).mmul(u.reshape(1, 10)).muli(sign);

        // A tolerance below rounding: only the breakdown test can stop the run after two steps.
        SpectrumEstimate e = Lanczos.estimate(LinearOperator.dense(a), OPTIONS.withTolerance(1e-300));

        assertThat(e.converged()).isTrue();
        assertThat(e.iterations()).isEqualTo(2);
        assertThat(e.norm()).isCloseTo(uu, within(DOUBLE_RELATIVE * uu));
        assertThat(sign > 0 ? e.lambdaMax() : -e.lambdaMin()).isCloseTo(uu, within(DOUBLE_RELATIVE * uu));
        assertThat(sign > 0 ? e.lambdaMin() : e.lambdaMax()).isCloseTo(0.0, within(DOUBLE_RELATIVE * uu));
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void fallsBackToLocalWhenTheBasisDoesNotFitAndStillFindsTheExtremes(DataType dtype) {
        int p = 400;
        INDArray a = PlantedSpectrum.matrix(PlantedSpectrum.spikedBulk(p, 3.7, -5.2, 1.0, 9), 10);
        LanczosOptions tight = OPTIONS.withMaxBasisBytes(Lanczos.basisBytes(p, OPTIONS.maxIterations(), dtype) - 1);
        assertThat(Lanczos.reorthogonalization(p, dtype, tight)).isEqualTo(Reorthogonalization.LOCAL);

        SpectrumEstimate e = Lanczos.estimate(LinearOperator.dense(a.castTo(dtype)), tight);

        double tol = relative(dtype) * 5.2;
        assertThat(e.reorthogonalization()).isEqualTo(Reorthogonalization.LOCAL);
        assertThat(e.converged()).isTrue();
        assertThat(e.lambdaMax()).isCloseTo(3.7, within(tol));
        assertThat(e.lambdaMin()).isCloseTo(-5.2, within(tol));
        assertThat(e.norm()).isCloseTo(5.2, within(tol));
        assertThat(e.residual()).isLessThanOrEqualTo(OPTIONS.tolerance() * e.norm());
    }

    @Test
    void localMatchesDenseEigendecompositionWhenRitzValuesCluster() {
        int p = 300;
        INDArray a = PlantedSpectrum.randomSymmetric(p, 3);
        double[] dense = SymmetricEigen.eigenvalues(a);
        double norm = Math.max(-dense[0], dense[p - 1]);

        SpectrumEstimate e = Lanczos.estimate(LinearOperator.dense(a), OPTIONS.withMaxIterations(p).withMaxBasisBytes(0));

        assertThat(e.reorthogonalization()).isEqualTo(Reorthogonalization.LOCAL);
        assertThat(e.converged()).isTrue();
        assertThat(e.lambdaMax()).isCloseTo(dense[p - 1], within(DOUBLE_RELATIVE * norm));
        assertThat(e.lambdaMin()).isCloseTo(dense[0], within(DOUBLE_RELATIVE * norm));
    }

    /** A tolerance near eps keeps LOCAL running after the extremes converge, so orthogonality is lost. */
    @Test
    void lostOrthogonalityOnlyDuplicatesConvergedValues() {
        INDArray a = PlantedSpectrum.matrix(PlantedSpectrum.spikedBulk(400, 3.7, -5.2, 1.0, 9), 10);
        LanczosOptions strict = OPTIONS.withMaxIterations(150).withTolerance(1e-15);

        SpectrumEstimate local = Lanczos.estimate(LinearOperator.dense(a), strict.withMaxBasisBytes(0));
        SpectrumEstimate full = Lanczos.estimate(LinearOperator.dense(a), strict);

        assertThat(local.iterations()).isGreaterThan(full.iterations());
        assertThat(local.lambdaMax()).isCloseTo(3.7, within(DOUBLE_RELATIVE * 5.2));
        assertThat(local.lambdaMin()).isCloseTo(-5.2, within(DOUBLE_RELATIVE * 5.2));
    }

    @Test
    void takesAtMostDimensionStepsWhenDimensionIsBelowMaxIterations() {
        INDArray a = PlantedSpectrum.randomSymmetric(5, 42);
        double[] dense = SymmetricEigen.eigenvalues(a);

        SpectrumEstimate e = Lanczos.estimate(LinearOperator.dense(a), OPTIONS.withMaxBasisBytes(0).withTolerance(1e-12));
        SpectrumEstimate full = Lanczos.estimate(LinearOperator.dense(a), OPTIONS);

        assertThat(e.iterations()).isLessThanOrEqualTo(5);
        assertThat(full.iterations()).isLessThanOrEqualTo(5);
        assertThat(full.converged()).isTrue();
        assertThat(full.lambdaMax()).isCloseTo(dense[4], within(DOUBLE_RELATIVE));
        assertThat(full.lambdaMin()).isCloseTo(dense[0], within(DOUBLE_RELATIVE));
    }

    @Test
    void handValueOfTwoByTwo() {
        INDArray a = Nd4j.create(new double[][] {{2, 1}, {1, 2}});

        SpectrumEstimate e = Lanczos.estimate(LinearOperator.dense(a), OPTIONS);

        assertThat(e.converged()).isTrue();
        assertThat(e.lambdaMax()).isCloseTo(3.0, within(1e-14));
        assertThat(e.lambdaMin()).isCloseTo(1.0, within(1e-14));
        assertThat(e.norm()).isCloseTo(3.0, within(1e-14));
        assertThat(e.iterations()).isLessThanOrEqualTo(2);
    }

    @Test
    void sameSeedGivesTheSameEstimateAndTheCallersStartIsNotModified() {
        INDArray a = PlantedSpectrum.matrix(PlantedSpectrum.spikedBulk(100, 2.0, -3.0, 1.0, 3), 4);
        LinearOperator op = LinearOperator.dense(a);
        INDArray start = Nd4j.linspace(DataType.DOUBLE, 1, 100, 1);
        INDArray startCopy = start.dup();

        SpectrumEstimate fromStart = Lanczos.estimate(op, OPTIONS, start);

        assertThat(Lanczos.estimate(op, OPTIONS)).isEqualTo(Lanczos.estimate(op, OPTIONS));
        assertThat(start).isEqualTo(startCopy);
        assertThat(fromStart.converged()).isTrue();
        assertThat(fromStart.norm()).isCloseTo(3.0, within(DOUBLE_RELATIVE * 3.0));
    }

    @Test
    void aSharedWorkspaceGivesTheSameEstimatesAsFreshArrays() {
        // consecutive runs as an experiment's probes make them, with sizes, types, step counts and
        // reorthogonalisations that force the workspace to grow, shrink to a view and reallocate
        Object[][] runs = {
            {200, DataType.DOUBLE, 30, Reorthogonalization.PARTIAL},
            {200, DataType.DOUBLE, 12, Reorthogonalization.FULL},
            {200, DataType.DOUBLE, 40, Reorthogonalization.PARTIAL},
            {150, DataType.DOUBLE, 40, Reorthogonalization.FULL},
            {150, DataType.FLOAT, 40, Reorthogonalization.FULL},
            {150, DataType.FLOAT, 40, Reorthogonalization.LOCAL},
        };
        try (Lanczos.Workspace workspace = new Lanczos.Workspace()) {
            for (Object[] run : runs) {
                int p = (Integer) run[0];
                INDArray a = PlantedSpectrum.matrix(PlantedSpectrum.spikedBulk(p, 2.5, -4.0, 1.0, p), 7L * p);
                LinearOperator op = LinearOperator.dense(a.castTo((DataType) run[1]));
                LanczosOptions options = OPTIONS.withMaxIterations((Integer) run[2]).withTolerance(1e-300)
                        .withReorthogonalization((Reorthogonalization) run[3]);
                assertThat(Lanczos.estimate(op, options, workspace)).as("%s", java.util.Arrays.toString(run))
                        .isEqualTo(Lanczos.estimate(op, options));
            }
        }
    }

    @Test
    void basisBytesIsRowsTimesDimensionTimesWidthAndSaturates() {
        assertThat(Lanczos.basisBytes(1000, 100, DataType.DOUBLE)).isEqualTo(101L * 1000 * 8);
        assertThat(Lanczos.basisBytes(1000, 100, DataType.FLOAT)).isEqualTo(101L * 1000 * 4);
        assertThat(Lanczos.basisBytes(10, 100, DataType.DOUBLE)).isEqualTo(11L * 10 * 8);
        assertThat(Lanczos.basisBytes(Long.MAX_VALUE / 4, 100, DataType.DOUBLE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Lanczos.reorthogonalization(1000, DataType.DOUBLE, OPTIONS.withMaxBasisBytes(808_000)))
                .isEqualTo(Reorthogonalization.FULL);
        assertThat(Lanczos.reorthogonalization(1000, DataType.DOUBLE, OPTIONS.withMaxBasisBytes(807_999)))
                .isEqualTo(Reorthogonalization.LOCAL);
    }
}
