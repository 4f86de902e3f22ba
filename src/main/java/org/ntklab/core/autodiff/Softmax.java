package org.ntklab.core.autodiff;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Elementwise;
import org.ntklab.core.array.Flat;

/**
 * Row-wise softmax and its Jacobian products. For one row g of length c:
 * s_k = e^(g_k - max g) / sum_j e^(g_j - max g), and J = diag(s) - s s^T (symmetric).
 */
final class Softmax {

    private Softmax() {
    }

    /**
     * A new (n, c) array of row-wise softmax values of {@code g}; g is not modified. The
     * exponentials of all rows run in one SIMD loop (Elementwise.exp), the row maxima and sums
     * in plain loops.
     */
    static INDArray rows(INDArray g) {
        INDArray s = g.dup('c');
        Flat f = Flat.of(s);
        int n = Math.toIntExact(g.rows());
        int c = Math.toIntExact(g.columns());
        double[] e = f.toArray();
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, e[i * c + k]);
            }
            for (int k = 0; k < c; k++) {
                e[i * c + k] -= max;
            }
        }
        Elementwise.exp(e, n * c);
        for (int i = 0; i < n; i++) {
            double sum = 0.0;
            for (int k = 0; k < c; k++) {
                sum += e[i * c + k];
            }
            for (int k = 0; k < c; k++) {
                e[i * c + k] /= sum;
            }
        }
        f.write(0, e, n * c);
        return s;
    }

    /** J(s_i) u_i for every row: s_i o (u_i - &lt;u_i, s_i&gt;); a new (n, c) array, inputs unmodified. */
    static INDArray jacobianProduct(INDArray s, INDArray u) {
        double[] sv = values(s);
        double[] uv = values(u);
        int n = Math.toIntExact(s.rows());
        int c = Math.toIntExact(s.columns());
        double[] out = new double[n * c];
        for (int i = 0; i < n; i++) {
            double dot = 0.0;
            for (int k = 0; k < c; k++) {
                dot += uv[i * c + k] * sv[i * c + k];
            }
            for (int k = 0; k < c; k++) {
                out[i * c + k] = (uv[i * c + k] - dot) * sv[i * c + k];
            }
        }
        INDArray result = Nd4j.create(s.dataType(), n, c);
        Flat.of(result).write(0, out, out.length);
        return result;
    }

    /** The elements of a DOUBLE or FLOAT array in C order. */
    private static double[] values(INDArray a) {
        return Flat.of(Flat.isContiguous(a) ? a : a.dup('c')).toArray();
    }
}
