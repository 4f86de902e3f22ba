package org.ntklab.core.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DenseOperatorTest {

    @Test
    void appliesTheMatrixIntoStridedViewsWithoutTouchingX() {
        LinearOperator a = LinearOperator.dense(Nd4j.create(new double[][] {{2, 1}, {1, 2}}));
        INDArray x = Nd4j.create(new double[][] {{1, 9}, {-1, 9}}).getColumn(0);
        INDArray store = Nd4j.zeros(DataType.DOUBLE, 2, 2);

        a.apply(x, store.getColumn(1));

        assertThat(store).isEqualTo(Nd4j.create(new double[][] {{0, 1}, {0, -1}}));
        assertThat(x).isEqualTo(Nd4j.create(new double[] {1, -1}));
        assertThat(a.dimension()).isEqualTo(2);
        assertThat(a.dataType()).isEqualTo(DataType.DOUBLE);
    }

    @Test
    void rejectsNonSquareAndIntegerMatrices() {
        assertThatIllegalArgumentException().isThrownBy(() -> LinearOperator.dense(Nd4j.zeros(DataType.DOUBLE, 2, 3)));
        assertThatIllegalArgumentException().isThrownBy(() -> LinearOperator.dense(Nd4j.zeros(DataType.INT, 2, 2)));
    }
}
