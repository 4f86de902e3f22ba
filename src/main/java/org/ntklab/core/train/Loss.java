package org.ntklab.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Flat;
import org.ntklab.core.autodiff.Derivatives;
import org.ntklab.core.autodiff.ForwardPass;
import org.ntklab.core.nn.OutputMap;

/** The training loss L(w) over n examples (SCIENCE.md, "Training"), its value and gradient in w. */
public enum Loss {
    /** L = (1/(2n)) sum_i ||f(w; x_i) - y_i||^2; dL/dF = (F - Y) / n. The default. */
    SQUARED_ERROR {
        @Override
        public double value(ForwardPass pass, INDArray y) {
            INDArray r = pass.output().sub(y);
            double sum = r.mul(r).sumNumber().doubleValue();
            return sum / (2.0 * pass.batchSize());
        }

        @Override
        public void gradient(ForwardPass pass, INDArray y, INDArray gradient) {
            INDArray dF = pass.output().sub(y).divi(pass.batchSize());
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
            Flat g = Flat.of(pass.preOutput().dup('c'));
            Flat t = Flat.of(y.dup('c'));
            int n = Math.toIntExact(pass.batchSize());
            int c = Math.toIntExact(pass.preOutput().columns());
            double total = 0.0;
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    max = Math.max(max, g.get(i * c + k));
                }
                double sum = 0.0;
                for (int k = 0; k < c; k++) {
                    sum += Math.exp(g.get(i * c + k) - max);
                }
                double logSum = Math.log(sum);
                for (int k = 0; k < c; k++) {
                    double yk = t.get(i * c + k);
                    if (yk != 0.0) {
                        total -= yk * (g.get(i * c + k) - max - logSum);
                    }
                }
            }
            return total / n;
        }

        @Override
        public void gradient(ForwardPass pass, INDArray y, INDArray gradient) {
            INDArray mass = y.sum(true, 1);
            INDArray dG = pass.output().mulColumnVector(mass).subi(y).divi(pass.batchSize());
            Derivatives.backwardFromPreOutput(pass, dG, gradient);
        }
    };

    /** L at the forward pass's weights; y has shape (n, c) and is not modified. */
    public abstract double value(ForwardPass pass, INDArray y);

    /** {@code gradient} (length p, overwritten) := grad_w L. */
    public abstract void gradient(ForwardPass pass, INDArray y, INDArray gradient);

    /** Whether this loss is defined for the output map. */
    public boolean supports(OutputMap phi) {
        return this == SQUARED_ERROR || phi == OutputMap.SOFTMAX;
    }
}
