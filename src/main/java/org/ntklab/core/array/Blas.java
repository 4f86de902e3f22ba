package org.ntklab.core.array;

import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Level-2 BLAS straight on ND4J's memory, for the shapes where going through ND4J costs more
 * than the arithmetic: a matrix-vector product as a one-row gemm makes OpenBLAS pack the whole
 * matrix on every call, and ND4J's own gemv re-routes some shapes through its matmul op.
 */
public final class Blas {

    private Blas() {
    }

    /**
     * y := alpha op(A) x + beta y, with op(A) = A or A^T.
     *
     * @param a     a C-contiguous (rows, cols) matrix; not modified
     * @param x     a contiguous vector of length cols (rows when transposed); not modified
     * @param y     a contiguous vector of length rows (cols when transposed); overwritten
     */
    public static void gemv(boolean transpose, double alpha, INDArray a, INDArray x, double beta, INDArray y) {
        int rows = Math.toIntExact(a.rows());
        int cols = Math.toIntExact(a.columns());
        long xLength = transpose ? rows : cols;
        long yLength = transpose ? cols : rows;
        if (x.length() != xLength || y.length() != yLength) {
            throw new IllegalArgumentException("gemv shapes: A is (" + rows + ", " + cols + "), x has " + x.length()
                    + ", y has " + y.length() + (transpose ? " (transposed)" : ""));
        }
        if (a.dataType() != x.dataType() || a.dataType() != y.dataType()) {
            throw new IllegalArgumentException("gemv needs one dtype, got " + a.dataType() + ", " + x.dataType() + ", "
                    + y.dataType());
        }
        int trans = transpose ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (a.dataType() == DataType.DOUBLE) {
            openblas.cblas_dgemv(openblas.CblasRowMajor, trans, rows, cols, alpha, Flat.of(a).doubles(), cols,
                    Flat.of(x).doubles(), 1, beta, Flat.of(y).doubles(), 1);
        } else if (a.dataType() == DataType.FLOAT) {
            openblas.cblas_sgemv(openblas.CblasRowMajor, trans, rows, cols, (float) alpha, Flat.of(a).floats(), cols,
                    Flat.of(x).floats(), 1, (float) beta, Flat.of(y).floats(), 1);
        } else {
            throw new IllegalArgumentException("gemv supports DOUBLE and FLOAT, got " + a.dataType());
        }
    }
}
