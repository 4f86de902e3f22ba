package org.ntklab.core.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SymmetricEigenTest {

    /** Backward-stable symmetric QR: eigenvalue errors of a few eps ||A||, here with ||A|| <= 6. */
    private static final double DOUBLE_ABSOLUTE = 1e-12;
    /** Float32 input rounds each entry by eps_32/2 = 6e-8 relative, moving eigenvalues by ~||E|| <= p * 6e-8 * ||A||. */
    private static final double FLOAT_ABSOLUTE = 1e-5;

    @Test
    void handValueOfTwoByTwo() {
        SymmetricEigen eig = SymmetricEigen.decompose(new double[][] {{2, 1}, {1, 2}});

        assertThat(eig.eigenvalues()).containsExactly(new double[] {1.0, 3.0}, within(1e-15));
        double[] top = eig.eigenvector(1);
        assertThat(Math.abs(top[0])).isCloseTo(Math.sqrt(0.5), within(1e-15));
        assertThat(top[0] * top[1]).isPositive();
    }

    @Test
    void recoversAPlantedSpectrumAscending() {
        double[] lambda = PlantedSpectrum.spikedBulk(60, 3.7, -5.2, 1.0, 2);
        double[] expected = lambda.clone();
        Arrays.sort(expected);

        double[] values = SymmetricEigen.eigenvalues(PlantedSpectrum.matrix(lambda, 3));

        assertThat(values).containsExactly(expected, within(DOUBLE_ABSOLUTE));
    }

    @Test
    void eigenvectorsAreUnitAndSatisfyTheEigenEquation() {
        INDArray a = PlantedSpectrum.randomSymmetric(20, 4);
        double[][] m = a.toDoubleMatrix();
        SymmetricEigen eig = SymmetricEigen.decompose(a);

        for (int i = 0; i < eig.size(); i++) {
            double[] s = eig.eigenvector(i);
            double norm2 = 0;
            for (int r = 0; r < 20; r++) {
                double as = 0;
                for (int c = 0; c < 20; c++) {
                    as += m[r][c] * s[c];
                }
                assertThat(as).isCloseTo(eig.eigenvalue(i) * s[r], within(DOUBLE_ABSOLUTE * 10));
                norm2 += s[r] * s[r];
            }
            assertThat(norm2).isCloseTo(1.0, within(DOUBLE_ABSOLUTE));
        }
    }

    @Test
    void acceptsFloatAndViewsAndLeavesTheInputUnchanged() {
        INDArray a = PlantedSpectrum.matrix(new double[] {-2, 0.5, 1, 4}, 5);
        INDArray copy = a.dup();
        double[] expected = {-2, 0.5, 1, 4};

        assertThat(SymmetricEigen.eigenvalues(a)).containsExactly(expected, within(DOUBLE_ABSOLUTE));
        assertThat(SymmetricEigen.eigenvalues(a.transpose())).containsExactly(expected, within(DOUBLE_ABSOLUTE));
        assertThat(SymmetricEigen.eigenvalues(a.castTo(DataType.FLOAT))).containsExactly(expected, within(FLOAT_ABSOLUTE));
        assertThat(a).isEqualTo(copy);
    }

    @Test
    void rejectsNonSymmetricNonSquareAndNonFinite() {
        assertThatIllegalArgumentException().isThrownBy(() -> SymmetricEigen.eigenvalues(new double[][] {{1, 2}, {0, 1}}));
        assertThatIllegalArgumentException().isThrownBy(() -> SymmetricEigen.eigenvalues(new double[][] {{1, 2}}));
        assertThatIllegalArgumentException().isThrownBy(() -> SymmetricEigen.eigenvalues(Nd4j.zeros(DataType.DOUBLE, 2, 3)));
        assertThatIllegalArgumentException().isThrownBy(
                () -> SymmetricEigen.eigenvalues(new double[][] {{1, Double.NaN}, {Double.NaN, 1}}));
    }
}
