package org.ntklab.core.array;

import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Level-2 BLAS straight on ND4J's memory, for the shapes where going through ND4J costs more
 * than the arithmetic: a matrix-vector product as a one-row gemm makes OpenBLAS pack the whole
 * matrix on every call, and ND4J's own gemv re-routes some shapes through its matmul op.
 * Level-3 calls go to OpenBLAS directly too: {@code Nd4j.gemm} runs through ND4J's matmul op,
 * which costs 0.1-0.4 ms per call here on top of the arithmetic, more than a whole product of the
 * sizes a single-input Hessian-vector product or a narrow layer needs.
 *
 * <p>All arrays are row-major ('c') and contiguous (a fresh array, a contiguous view such as
 * a weight matrix inside the flat parameter vector); a rank-1 array counts as one row.
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

    /**
     * C := alpha op(A) op(B) + beta C, op(X) = X or X^T, with shapes op(A) (M, K), op(B) (K, N),
     * C (M, N). A product with M = 1 or N = 1 becomes a gemv (see the class comment). Arrays that
     * are not C-contiguous, or not DOUBLE / FLOAT, go through {@code Nd4j.gemm} instead (same result).
     *
     * @param a not modified
     * @param b not modified
     * @param c overwritten (read only when beta != 0); must not alias a or b
     */
    public static void gemm(boolean transA, boolean transB, double alpha, INDArray a, INDArray b, double beta,
            INDArray c) {
        int m = Math.toIntExact(c.rows());
        int n = Math.toIntExact(c.columns());
        int k = Math.toIntExact(transA ? a.rows() : a.columns());
        if ((transA ? a.columns() : a.rows()) != m || (transB ? b.columns() : b.rows()) != k
                || (transB ? b.rows() : b.columns()) != n) {
            throw new IllegalArgumentException("gemm shapes: A " + java.util.Arrays.toString(a.shape())
                    + (transA ? "^T" : "") + ", B " + java.util.Arrays.toString(b.shape()) + (transB ? "^T" : "")
                    + ", C " + java.util.Arrays.toString(c.shape()));
        }
        DataType type = c.dataType();
        boolean direct = (type == DataType.DOUBLE || type == DataType.FLOAT) && a.dataType() == type
                && b.dataType() == type && Flat.isContiguous(a) && Flat.isContiguous(b) && Flat.isContiguous(c)
                && a.rank() <= 2 && b.rank() <= 2 && c.rank() <= 2;
        if (!direct) {
            Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
            return;
        }
        if (k == 0) {
            scale(beta, c);
            return;
        }
        int lda = Math.toIntExact(a.columns());
        int ldb = Math.toIntExact(b.columns());
        if (m == 1) { // c^T := alpha op(B)^T op(A)^T + beta c^T, op(A) a vector of length k
            gemvOn(!transB, alpha, b, Math.toIntExact(b.rows()), ldb, a, beta, c);
            return;
        }
        if (n == 1) { // c := alpha op(A) op(B) + beta c, op(B) a vector of length k
            gemvOn(transA, alpha, a, Math.toIntExact(a.rows()), lda, b, beta, c);
            return;
        }
        int ta = transA ? openblas.CblasTrans : openblas.CblasNoTrans;
        int tb = transB ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (type == DataType.DOUBLE) {
            openblas.cblas_dgemm(openblas.CblasRowMajor, ta, tb, m, n, k, alpha, Flat.of(a).doubles(), lda,
                    Flat.of(b).doubles(), ldb, beta, Flat.of(c).doubles(), n);
        } else {
            openblas.cblas_sgemm(openblas.CblasRowMajor, ta, tb, m, n, k, (float) alpha, Flat.of(a).floats(), lda,
                    Flat.of(b).floats(), ldb, (float) beta, Flat.of(c).floats(), n);
        }
    }

    /**
     * The Gram matrix C := alpha A A^T, A of shape (M, K), C (M, M), by a symmetric rank-k update
     * (half the multiply-adds of a general product) and a mirror of the upper triangle. Falls back to
     * {@link #gemm} for arrays the direct path does not take. {@code a} is not modified; {@code c} is
     * overwritten.
     */
    public static void gram(double alpha, INDArray a, INDArray c) {
        int m = Math.toIntExact(a.rows());
        int k = Math.toIntExact(a.columns());
        if (c.rows() != m || c.columns() != m) {
            throw new IllegalArgumentException("gram shapes: A " + java.util.Arrays.toString(a.shape()) + ", C "
                    + java.util.Arrays.toString(c.shape()));
        }
        DataType type = c.dataType();
        if (!(type == DataType.DOUBLE || type == DataType.FLOAT) || a.dataType() != type || !Flat.isContiguous(a)
                || !Flat.isContiguous(c) || a.rank() != 2 || c.rank() != 2 || m < 2 || k == 0) {
            gemm(false, true, alpha, a, a, 0.0, c);
            return;
        }
        Flat out = Flat.of(c);
        if (type == DataType.DOUBLE) {
            openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasNoTrans, m, k, alpha,
                    Flat.of(a).doubles(), k, 0.0, out.doubles(), m);
        } else {
            openblas.cblas_ssyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasNoTrans, m, k,
                    (float) alpha, Flat.of(a).floats(), k, 0.0f, out.floats(), m);
        }
        for (int i = 1; i < m; i++) {
            for (int j = 0; j < i; j++) {
                out.set(i * m + j, out.get(j * m + i));
            }
        }
    }

    /**
     * y := alpha x + y over all elements; x and y contiguous, same length and dtype (DOUBLE or FLOAT).
     * x is not modified.
     */
    public static void axpy(double alpha, INDArray x, INDArray y) {
        if (x.length() != y.length() || x.dataType() != y.dataType()) {
            throw new IllegalArgumentException("axpy needs equal lengths and dtypes, got " + x.length() + " "
                    + x.dataType() + " and " + y.length() + " " + y.dataType());
        }
        int n = Math.toIntExact(x.length());
        if (x.dataType() == DataType.DOUBLE) {
            openblas.cblas_daxpy(n, alpha, Flat.of(x).doubles(), 1, Flat.of(y).doubles(), 1);
        } else if (x.dataType() == DataType.FLOAT) {
            openblas.cblas_saxpy(n, (float) alpha, Flat.of(x).floats(), 1, Flat.of(y).floats(), 1);
        } else {
            throw new IllegalArgumentException("axpy supports DOUBLE and FLOAT, got " + x.dataType());
        }
    }

    /** y := alpha op(A) x + beta y on a row-major A with the given rows and leading dimension. */
    private static void gemvOn(boolean transpose, double alpha, INDArray a, int rows, int lda, INDArray x,
            double beta, INDArray y) {
        int cols = lda;
        int trans = transpose ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (a.dataType() == DataType.DOUBLE) {
            openblas.cblas_dgemv(openblas.CblasRowMajor, trans, rows, cols, alpha, Flat.of(a).doubles(), lda,
                    Flat.of(x).doubles(), 1, beta, Flat.of(y).doubles(), 1);
        } else {
            openblas.cblas_sgemv(openblas.CblasRowMajor, trans, rows, cols, (float) alpha, Flat.of(a).floats(), lda,
                    Flat.of(x).floats(), 1, (float) beta, Flat.of(y).floats(), 1);
        }
    }

    /** c := beta c (beta = 0 writes zeros, whatever c held). */
    private static void scale(double beta, INDArray c) {
        if (beta == 0.0) {
            c.assign(0.0);
        } else if (beta != 1.0) {
            c.muli(beta);
        }
    }
}
