package org.ntklab.core.spectral;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A symmetric linear map {@code A : R^p -> R^p} given only by its action {@code y := A x}
 * (matrix-free): a Hessian-vector product, a kernel-vector product, or an explicit matrix.
 *
 * <p>Implementations promise symmetry ({@code <u, A v> = <A u, v>}); Lanczos relies on it and does
 * not check it.
 */
public interface LinearOperator {

    /** The dimension {@code p}: vectors passed to {@link #apply} have length {@code p}. */
    long dimension();

    /**
     * The element type of the vectors this operator reads and writes ({@link DataType#DOUBLE} or
     * {@link DataType#FLOAT}). Callers allocate {@code x} and {@code y} with this type.
     */
    DataType dataType();

    /**
     * Computes {@code y := A x}.
     *
     * @param x a 1-D vector of length {@link #dimension()} and type {@link #dataType()}; read only,
     *          never modified (it may be a view of a larger array)
     * @param y a preallocated 1-D vector of the same length and type, overwritten with {@code A x};
     *          must not alias {@code x}
     */
    void apply(INDArray x, INDArray y);

    /**
     * Wraps an explicit square matrix {@code a} (shape {@code (p, p)}, DOUBLE or FLOAT) as an
     * operator. The matrix is not copied: it must stay unmodified while the operator is used, and
     * it is assumed symmetric (not checked). Meant for tests and small kernels.
     */
    static LinearOperator dense(INDArray a) {
        return new DenseOperator(a);
    }
}
