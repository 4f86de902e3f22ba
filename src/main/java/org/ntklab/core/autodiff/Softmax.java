package org.ntklab.core.autodiff;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Flat;

/**
 * Row-wise softmax and its Jacobian products. For one row g of length c:
 * s_k = e^(g_k - max g) / sum_j e^(g_j - max g), and J = diag(s) - s s^T (symmetric).
 */
final class Softmax {

    private Softmax() {
    }

    /** A new (n, c) array of row-wise softmax values of {@code g}; g is not modified. */
    static INDArray rows(INDArray g) {
        INDArray s = g.dup('c');
        Flat f = Flat.of(s);
        int n = Math.toIntExact(g.rows());
        int c = Math.toIntExact(g.columns());
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, f.get(i * c + k));
            }
            double sum = 0.0;
            for (int k = 0; k < c; k++) {
                double e = Math.exp(f.get(i * c + k) - max);
                f.set(i * c + k, e);
                sum += e;
            }
            for (int k = 0; k < c; k++) {
                f.set(i * c + k, f.get(i * c + k) / sum);
            }
        }
        return s;
    }

    /** J(s_i) u_i for every row: s_i o (u_i - &lt;u_i, s_i&gt;); a new (n, c) array, inputs unmodified. */
    static INDArray jacobianProduct(INDArray s, INDArray u) {
        INDArray dots = u.mul(s).sum(true, 1);
        return u.subColumnVector(dots).muli(s);
    }
}
