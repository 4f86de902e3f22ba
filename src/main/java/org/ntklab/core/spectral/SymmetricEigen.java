package org.ntklab.core.spectral;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The eigen-decomposition {@code A = S diag(lambda) S^T} of a small dense symmetric matrix, in
 * double precision, by EJML's symmetric QR algorithm (Householder tridiagonalisation, then
 * implicit QR). Eigenvalues are sorted ascending, {@code lambda_0 <= ... <= lambda_{n-1}};
 * eigenvector {@code i} is the unit column {@code S[:, i]}.
 *
 * <p>The input is copied, never modified. It must be symmetric up to rounding:
 * {@code max|a_ij - a_ji| <= SYMMETRY_TOLERANCE * max|a_ij|}, otherwise the call throws; the
 * decomposition is then of the exact symmetric part {@code (A + A^T) / 2}.
 */
public final class SymmetricEigen {

    /**
     * Relative asymmetry accepted as rounding: a kernel {@code J J^T} formed in float32 differs
     * from its transpose by summation order only, a few ulps of 1.2e-7 times the sum length;
     * 1e-5 leaves that headroom and still rejects a matrix that is genuinely not symmetric.
     */
    static final double SYMMETRY_TOLERANCE = 1e-5;

    private final double[] eigenvalues;
    private final double[][] eigenvectors; // eigenvectors[i] = column i of S

    private SymmetricEigen(double[] eigenvalues, double[][] eigenvectors) {
        this.eigenvalues = eigenvalues;
        this.eigenvectors = eigenvectors;
    }

    /** Eigenvalues of {@code a} (shape {@code (n, n)}), ascending. {@code a} is not modified. */
    public static double[] eigenvalues(double[][] a) {
        return decompose(toMatrix(a), false).eigenvalues;
    }

    /** Eigenvalues of {@code a} (2-D, square, any floating type), ascending; {@code a} is not modified. */
    public static double[] eigenvalues(INDArray a) {
        return decompose(toMatrix(a), false).eigenvalues;
    }

    /** Eigenvalues and eigenvectors of {@code a} (shape {@code (n, n)}); {@code a} is not modified. */
    public static SymmetricEigen decompose(double[][] a) {
        return decompose(toMatrix(a), true);
    }

    /** Eigenvalues and eigenvectors of {@code a} (2-D, square); {@code a} is not modified. */
    public static SymmetricEigen decompose(INDArray a) {
        return decompose(toMatrix(a), true);
    }

    /** The order {@code n}. */
    public int size() {
        return eigenvalues.length;
    }

    /** A copy of all eigenvalues, ascending. */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** The {@code i}-th smallest eigenvalue. */
    public double eigenvalue(int i) {
        return eigenvalues[i];
    }

    /** A copy of the unit eigenvector of the {@code i}-th smallest eigenvalue (length {@code n}). */
    public double[] eigenvector(int i) {
        return eigenvectors[i].clone();
    }

    /** Component {@code row} of eigenvector {@code i}, i.e. {@code S[row, i]}, without copying. */
    public double eigenvectorComponent(int i, int row) {
        return eigenvectors[i][row];
    }

    private static SymmetricEigen decompose(DMatrixRMaj a, boolean wantVectors) {
        int n = a.numRows;
        if (n == 0) {
            return new SymmetricEigen(new double[0], new double[0][]);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, wantVectors, true);
        if (!eig.decompose(a)) {
            throw new ArithmeticException("symmetric QR algorithm did not converge for n = " + n);
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> eig.getEigenvalue(i).real));
        double[] values = new double[n];
        double[][] vectors = wantVectors ? new double[n][] : null;
        for (int i = 0; i < n; i++) {
            values[i] = eig.getEigenvalue(order[i]).real;
            if (wantVectors) {
                vectors[i] = eig.getEigenVector(order[i]).data.clone();
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    private static DMatrixRMaj toMatrix(double[][] a) {
        int n = a.length;
        double[] data = new double[n * n];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("matrix must be square: row " + i + " has length "
                        + a[i].length + ", expected " + n);
            }
            System.arraycopy(a[i], 0, data, i * n, n);
        }
        return symmetricPart(n, data);
    }

    private static DMatrixRMaj toMatrix(INDArray a) {
        if (a.rank() != 2 || a.rows() != a.columns()) {
            throw new IllegalArgumentException("matrix must be square, got shape " + Arrays.toString(a.shape()));
        }
        if (!a.dataType().isFPType()) {
            throw new IllegalArgumentException("matrix must have a floating type, got " + a.dataType());
        }
        int n = Math.toIntExact(a.rows());
        // dup('c') gives a fresh row-major buffer of exactly n*n elements, whatever a's view/order.
        double[] data = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        return symmetricPart(n, data);
    }

    /** Checks symmetry, then overwrites {@code data} (row-major n x n) with {@code (A + A^T)/2}. */
    private static DMatrixRMaj symmetricPart(int n, double[] data) {
        double maxAbs = 0.0;
        double maxAsym = 0.0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = data[i * n + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("matrix entry (" + i + ", " + j + ") is " + v);
                }
                maxAbs = Math.max(maxAbs, Math.abs(v));
                maxAsym = Math.max(maxAsym, Math.abs(v - data[j * n + i]));
            }
        }
        if (maxAsym > SYMMETRY_TOLERANCE * maxAbs) {
            throw new IllegalArgumentException("matrix is not symmetric: max|a_ij - a_ji| = " + maxAsym
                    + " > " + SYMMETRY_TOLERANCE + " * max|a_ij| = " + SYMMETRY_TOLERANCE * maxAbs);
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double mean = 0.5 * (data[i * n + j] + data[j * n + i]);
                data[i * n + j] = mean;
                data[j * n + i] = mean;
            }
        }
        return DMatrixRMaj.wrap(n, n, data);
    }
}
