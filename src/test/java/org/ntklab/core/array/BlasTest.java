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
}
