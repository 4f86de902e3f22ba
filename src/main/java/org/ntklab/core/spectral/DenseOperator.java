package org.ntklab.core.spectral;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code y := A x} for an explicit square matrix {@code A} of shape {@code (p, p)}, by one BLAS
 * gemv. Holds a reference to {@code A}, not a copy. Created by {@link LinearOperator#dense}.
 */
final class DenseOperator implements LinearOperator {

    private final INDArray a;

    DenseOperator(INDArray a) {
        if (a.rank() != 2 || a.rows() != a.columns()) {
            throw new IllegalArgumentException(
                    "a dense operator needs a square matrix, got shape " + java.util.Arrays.toString(a.shape()));
        }
        if (a.dataType() != DataType.DOUBLE && a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("a dense operator needs DOUBLE or FLOAT, got " + a.dataType());
        }
        this.a = a;
    }

    @Override
    public long dimension() {
        return a.rows();
    }

    @Override
    public DataType dataType() {
        return a.dataType();
    }

    /** {@code y := A x}; gemv accepts strided views for both {@code x} and {@code y}. */
    @Override
    public void apply(INDArray x, INDArray y) {
        Nd4j.getBlasWrapper().level2().gemv('c', 'N', 1.0, a, x, 0.0, y);
    }
}
