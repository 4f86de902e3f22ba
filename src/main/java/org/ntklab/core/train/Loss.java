package org.ntklab.core.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Elementwise;
import org.ntklab.core.array.Flat;
import org.ntklab.core.autodiff.Derivatives;
import org.ntklab.core.autodiff.ForwardPass;
import org.ntklab.core.nn.OutputMap;

/** The training loss L(w) over n examples (SCIENCE.md, "Training"), its value and gradient in w. */
public enum Loss {
    // Residuals, sums and exponentials run in the fused (SIMD where available) loops of Elementwise:
    // an ND4J op costs a dispatch and an allocation, more than the arithmetic at these sizes.
    /** L = (1/(2n)) sum_i ||f(w; x_i) - y_i||^2; dL/dF = (F - Y) / n. The default. */
    SQUARED_ERROR {
        @Override
        public double value(ForwardPass pass, INDArray y) {
            return squaredError(pass.output(), y, pass.batchSize());
        }

        @Override
        public void gradient(ForwardPass pass, INDArray y, INDArray gradient) {
            INDArray f = contiguous(pass.output());
            INDArray dF = Nd4j.create(f.dataType(), f.shape());
            Elementwise.scaledDifference(dF, f, contiguous(y), 1.0 / pass.batchSize());
            Derivatives.vjp(pass, dF, gradient);
        }
    },
    /**
     * Softmax outputs only: L = -(1/n) sum_i sum_k y_ik log f_k(w; x_i), with log f computed from
     * g as g_k - max g - log sum_j e^(g_j - max g); dL/dG = (f sum_k y_ik - y_i) / n.
     */
    CROSS_ENTROPY {
        @Override
        public double value(ForwardPass pass, INDArray y) {
            double[] g = Flat.of(contiguous(pass.preOutput())).toArray();
            double[] t = Flat.of(contiguous(y)).toArray();
            int n = Math.toIntExact(pass.batchSize());
            int c = Math.toIntExact(pass.preOutput().columns());
            double[] max = new double[n];
            double[] e = new double[n * c];
            for (int i = 0; i < n; i++) {
                max[i] = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    max[i] = Math.max(max[i], g[i * c + k]);
                }
                for (int k = 0; k < c; k++) {
                    e[i * c + k] = g[i * c + k] - max[i];
                }
            }
            Elementwise.exp(e, n * c);
            double total = 0.0;
            for (int i = 0; i < n; i++) {
                double sum = 0.0;
                for (int k = 0; k < c; k++) {
                    sum += e[i * c + k];
                }
                double logSum = Math.log(sum);
                for (int k = 0; k < c; k++) {
                    double yk = t[i * c + k];
                    if (yk != 0.0) {
                        total -= yk * (g[i * c + k] - max[i] - logSum);
                    }
                }
            }
            return total / n;
        }

        @Override
        public void gradient(ForwardPass pass, INDArray y, INDArray gradient) {
            double[] f = Flat.of(contiguous(pass.output())).toArray();
            double[] t = Flat.of(contiguous(y)).toArray();
            int n = Math.toIntExact(pass.batchSize());
            int c = f.length / n;
            double[] dG = new double[f.length];
            for (int i = 0; i < n; i++) {
                double mass = 0.0;
                for (int k = 0; k < c; k++) {
                    mass += t[i * c + k];
                }
                for (int k = 0; k < c; k++) {
                    dG[i * c + k] = (f[i * c + k] * mass - t[i * c + k]) / n;
                }
            }
            INDArray delta = Nd4j.create(pass.preOutput().dataType(), n, c);
            Flat.of(delta).write(0, dG, dG.length);
            Derivatives.backwardFromPreOutput(pass, delta, gradient);
        }
    };

    /** The squared error's L of outputs f against y, both (n, c) and not modified. */
    static double squaredError(INDArray f, INDArray y, long n) {
        return Elementwise.sumSquaredDifference(contiguous(f), contiguous(y)) / (2.0 * n);
    }

    /** L at the forward pass's weights; y has shape (n, c) and is not modified. */
    public abstract double value(ForwardPass pass, INDArray y);

    /** {@code gradient} (length p, overwritten) := grad_w L. */
    public abstract void gradient(ForwardPass pass, INDArray y, INDArray gradient);

    /** {@code a} itself when C-contiguous DOUBLE or FLOAT, else such a copy (the fused loops need flat memory). */
    private static INDArray contiguous(INDArray a) {
        boolean real = a.dataType() == DataType.DOUBLE || a.dataType() == DataType.FLOAT;
        if (!real) {
            return a.castTo(DataType.DOUBLE).dup('c');
        }
        return Flat.isContiguous(a) ? a : a.dup('c');
    }

    /** Whether this loss is defined for the output map. */
    public boolean supports(OutputMap phi) {
        return this == SQUARED_ERROR || phi == OutputMap.SOFTMAX;
    }
}
