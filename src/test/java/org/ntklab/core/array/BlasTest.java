package org.ntklab.core.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class BlasTest {

    @Test
    void gemvMatchesMmulInBothOrientationsOnViews() {
        for (DataType dtype : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tolerance = dtype == DataType.DOUBLE ? 1e-13 : 1e-5;
            INDArray parent = Nd4j.linspace(-1, 1, 7 * 5, DataType.DOUBLE).castTo(dtype).reshape(7, 5);
            INDArray a = parent.get(NDArrayIndex.interval(2, 6), NDArrayIndex.all()); // rows 2..5: an offset view
            INDArray x = Nd4j.linspace(1, 5, 5, DataType.DOUBLE).castTo(dtype);
            INDArray y = Nd4j.ones(dtype, 4);
            Blas.gemv(false, 2.0, a, x, 0.5, y);
            INDArray expected = a.mmul(x.reshape(5, 1)).reshape(4).muli(2.0).addi(0.5);
            assertThat(y.sub(expected).amaxNumber().doubleValue()).isLessThan(tolerance);

            INDArray u = Nd4j.linspace(1, 4, 4, DataType.DOUBLE).castTo(dtype);
            INDArray v = Nd4j.zeros(dtype, 5);
            Blas.gemv(true, 1.0, a, u, 0.0, v);
            INDArray expectedT = a.transpose().mmul(u.reshape(4, 1)).reshape(5);
            assertThat(v.sub(expectedT).amaxNumber().doubleValue()).isLessThan(tolerance);
        }
    }

    @Test
    void mismatchedShapesAreRejected() {
        assertThatThrownBy(() -> Blas.gemv(false, 1.0, Nd4j.ones(DataType.DOUBLE, 3, 2), Nd4j.ones(DataType.DOUBLE, 3),
                0.0, Nd4j.ones(DataType.DOUBLE, 3))).hasMessageContaining("gemv shapes");
    }

    /** Products of a few hundred terms of size ~1 in float64 / float32: rounding stays far below these. */
    private static final double DOUBLE_TOLERANCE = 1e-12;
    private static final double FLOAT_TOLERANCE = 1e-4;

    @Test
    void gemmMatchesNd4jForEveryTransposeShapeAndDtypeIncludingVectorCases() {
        int[][] shapes = {{7, 5, 3}, {1, 6, 4}, {6, 1, 4}, {1, 1, 9}, {5, 8, 1}};
        for (DataType dtype : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tolerance = dtype == DataType.DOUBLE ? DOUBLE_TOLERANCE : FLOAT_TOLERANCE;
            for (int[] mnk : shapes) {
                int m = mnk[0];
                int n = mnk[1];
                int k = mnk[2];
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        INDArray a = Nd4j.rand(DataType.DOUBLE, ta ? k : m, ta ? m : k).subi(0.5).castTo(dtype);
                        INDArray b = Nd4j.rand(DataType.DOUBLE, tb ? n : k, tb ? k : n).subi(0.5).castTo(dtype);
                        INDArray c = Nd4j.rand(DataType.DOUBLE, m, n).castTo(dtype);
                        INDArray expected = (ta ? a.transpose() : a).mmul(tb ? b.transpose() : b).muli(1.5)
                                .addi(c.mul(0.25));
                        Blas.gemm(ta, tb, 1.5, a, b, 0.25, c);
                        assertThat(c.sub(expected).amaxNumber().doubleValue())
                                .as("m=%d n=%d k=%d ta=%s tb=%s %s", m, n, k, ta, tb, dtype).isLessThan(tolerance);
                    }
                }
            }
        }
    }

    @Test
    void gemmOnAStridedViewFallsBackToNd4jWithTheSameResult() {
        INDArray parent = Nd4j.rand(DataType.DOUBLE, 6, 8);
        INDArray strided = parent.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 5)); // (6, 4), row stride 8
        INDArray b = Nd4j.rand(DataType.DOUBLE, 4, 3);
        INDArray c = Nd4j.create(DataType.DOUBLE, 6, 3);
        Blas.gemm(false, false, 1.0, strided, b, 0.0, c);
        assertThat(c.sub(strided.mmul(b)).amaxNumber().doubleValue()).isLessThan(DOUBLE_TOLERANCE);
    }

    @Test
    void gemmWithBetaZeroIgnoresWhatTheOutputHeld() {
        INDArray a = Nd4j.rand(DataType.DOUBLE, 4, 3);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 3, 5);
        INDArray c = Nd4j.valueArrayOf(new long[] {4, 5}, Double.NaN, DataType.DOUBLE);
        Blas.gemm(false, false, 1.0, a, b, 0.0, c);
        assertThat(c.sub(a.mmul(b)).amaxNumber().doubleValue()).isLessThan(DOUBLE_TOLERANCE);
    }

    @Test
    void gramIsTheFullSymmetricProductOfARowMatrixWithItsTranspose() {
        for (DataType dtype : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tolerance = dtype == DataType.DOUBLE ? DOUBLE_TOLERANCE : FLOAT_TOLERANCE;
            INDArray a = Nd4j.rand(DataType.DOUBLE, 9, 40).subi(0.5).castTo(dtype);
            INDArray c = Nd4j.valueArrayOf(new long[] {9, 9}, 7.0, dtype);
            Blas.gram(0.5, a, c);
            INDArray expected = a.mmul(a.transpose()).muli(0.5);
            assertThat(c.sub(expected).amaxNumber().doubleValue()).as("%s", dtype).isLessThan(tolerance);
            assertThat(c.sub(c.transpose()).amaxNumber().doubleValue()).isZero(); // mirrored, not recomputed
        }
    }

    @Test
    void axpyAddsAScaledVectorInPlaceAndRejectsMismatches() {
        INDArray x = Nd4j.linspace(1, 5, 5, DataType.DOUBLE);
        INDArray y = Nd4j.ones(DataType.DOUBLE, 5);
        Blas.axpy(-2.0, x, y);
        assertThat(y.toDoubleVector()).containsExactly(-1.0, -3.0, -5.0, -7.0, -9.0);
        assertThatThrownBy(() -> Blas.axpy(1.0, x, Nd4j.ones(DataType.DOUBLE, 4))).hasMessageContaining("axpy");
    }
}
