package org.ntklab.core.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.rng.SeededRandom;

class KernelSpectrumTest {

    /** Dense symmetric QR in double: errors of a few eps ||K||, here ||K|| <= 50. */
    private static final double ABSOLUTE = 1e-11;

    @Test
    void plantedPositiveDefiniteKernel() {
        SeededRandom random = SeededRandom.stream(8, 0);
        double[] lambda = new double[40];
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] = 1.0 + 3.0 * random.nextDouble();
        }
        lambda[7] = 0.5;
        lambda[23] = 4.5;

        KernelSpectrum s = KernelSpectrum.of(PlantedSpectrum.matrix(lambda, 9));

        assertThat(s.lambdaMin()).isCloseTo(0.5, within(ABSOLUTE));
        assertThat(s.lambdaMax()).isCloseTo(4.5, within(ABSOLUTE));
        assertThat(s.conditionNumber()).isCloseTo(9.0, within(1e-9));
    }

    @Test
    void handValueOfTwoByTwo() {
        KernelSpectrum s = KernelSpectrum.of(Nd4j.create(new double[][] {{2, 1}, {1, 2}}));

        assertThat(s.lambdaMin()).isCloseTo(1.0, within(1e-15));
        assertThat(s.lambdaMax()).isCloseTo(3.0, within(1e-15));
        assertThat(s.conditionNumber()).isCloseTo(3.0, within(1e-14));
    }

    @Test
    void exactlySingularKernelHasInfiniteCondition() {
        INDArray k = Nd4j.create(new double[][] {{2, 0, 0}, {0, 1, 0}, {0, 0, 0}});

        KernelSpectrum s = KernelSpectrum.of(k);

        assertThat(s).isEqualTo(new KernelSpectrum(0.0, 2.0, Double.POSITIVE_INFINITY));
    }

    /** A rank-5 Gram matrix of order 20: lambdaMin is rounding, reported as computed (possibly negative). */
    @Test
    void rankDeficientGramReportsTheComputedLambdaMin() {
        INDArray k = PlantedSpectrum.gram(20, 5, 12);

        KernelSpectrum s = KernelSpectrum.of(k.castTo(DataType.FLOAT));

        assertThat(Math.abs(s.lambdaMin())).isLessThan(1e-5 * s.lambdaMax());
        assertThat(s.conditionNumber()).isGreaterThan(1e5);
        assertThat(s.conditionNumber() == Double.POSITIVE_INFINITY).isEqualTo(s.lambdaMin() <= 0.0);
    }

    @Test
    void conditionNumberIsInfiniteForNonPositiveLambdaMin() {
        assertThat(KernelSpectrum.conditionNumber(-1e-17, 2.0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(KernelSpectrum.conditionNumber(0.0, 2.0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(KernelSpectrum.conditionNumber(0.5, 2.0)).isEqualTo(4.0);
    }
}
