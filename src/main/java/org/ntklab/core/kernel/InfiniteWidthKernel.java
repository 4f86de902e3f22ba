package org.ntklab.core.kernel;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.train.Cancellation;

/**
 * The infinite-width tangent kernel Theta_inf of a fully connected network in NTK
 * parameterisation with a linear output map (SCIENCE.md, "Infinite-width tangent kernel"):
 * <pre>
 *   C_0 = X X^T / d
 *   C_l = E[sigma(u) sigma(v)],  Cdot_l = E[sigma'(u) sigma'(v)],  (u, v) ~ N(0, C_{l-1} restricted to (x, x')),  l = 1..L
 *   T_l = C_{l-1} o Cdot_l o ... o Cdot_L  (T_{L+1} = C_L),   Theta_inf = sum of T_l over the trainable layers
 * </pre>
 * shape (n, n); the full limit is Theta_inf (x) I_c. The widths m_1..m_L do not enter, nor does a
 * frozen output layer's distribution (v_i^2 = 1 for Rademacher, E v_i^2 = 1 for Gaussian).
 * Cost: L n (n + 1) / 2 pairs of expectations, each a closed form or one adaptive 2-D quadrature
 * ({@link GaussianQuadrature}; about 10^5 activation evaluations off the diagonal).
 */
public final class InfiniteWidthKernel {

    /**
     * Theta_inf with its evidence.
     *
     * @param theta       Theta_inf, (n, n), DOUBLE
     * @param quadrature  whether any expectation was computed by quadrature (false: closed forms only)
     * @param worstChange the largest difference between the last two quadrature levels over every
     *                    expectation, relative to its Cauchy-Schwarz scale (0 for closed forms)
     * @param converged   whether every quadrature converged
     */
    public record Limit(INDArray theta, boolean quadrature, double worstChange, boolean converged) {
    }

    /**
     * Seconds per off-diagonal expectation pair by quadrature (about 7 10^4 activation evaluations at
     * two refinement levels, measured at 1 to 10 ms on a heavily loaded 2-core machine); GELU, whose
     * erf series costs more per value, is counted at 4 times that. A closed form costs under a
     * microsecond.
     */
    static final double QUADRATURE_SECONDS = 5e-3;
    static final double CLOSED_FORM_SECONDS = 1e-6;

    private InfiniteWidthKernel() {
    }

    /**
     * An upper estimate of the seconds {@link #of} takes on n inputs: L n (n - 1) / 2 off-diagonal
     * pairs (the n diagonal ones are one-dimensional and cheap) times the cost of one pair.
     */
    public static double estimatedSeconds(Architecture architecture, int n) {
        Activation sigma = architecture.activation();
        double perPair = GaussianExpectation.hasClosedForm(sigma) ? CLOSED_FORM_SECONDS
                : sigma == Activation.GELU ? 4 * QUADRATURE_SECONDS : QUADRATURE_SECONDS;
        return architecture.depth() * (n * (n - 1.0) / 2 + n) * perPair;
    }

    /**
     * Why Theta_inf is not defined for this architecture (a non-linear output map makes the limit
     * random, the standard parameterisation has no finite limit of this form), or null when it is.
     */
    public static String undefinedReason(Architecture architecture) {
        if (!architecture.outputMap().isLinear()) {
            return "the infinite-width kernel is defined for a linear output map only: with outputMap "
                    + architecture.outputMap().name().toLowerCase(java.util.Locale.ROOT)
                    + " the limiting kernel depends on the random output g(x)";
        }
        if (architecture.parameterization() != Parameterization.NTK) {
            return "the infinite-width kernel is defined for the NTK parameterization only: under the standard "
                    + "parameterization the kernel of a widening network has no limit of this form";
        }
        return null;
    }

    /**
     * Theta_inf on the rows of x.
     *
     * @param x inputs (n, d), any floating type; not modified
     * @throws IllegalArgumentException when {@link #undefinedReason} is not null or x has the wrong width
     * @throws org.ntklab.core.train.CancelledException when cancelled (checked between rows)
     */
    public static Limit of(Architecture architecture, INDArray x, GaussianExpectation method,
            Cancellation cancellation) {
        String reason = undefinedReason(architecture);
        if (reason != null) {
            throw new IllegalArgumentException(reason);
        }
        if (x.rank() != 2 || x.columns() != architecture.inputDim()) {
            throw new IllegalArgumentException("x must have shape (n, " + architecture.inputDim() + ")");
        }
        int n = Math.toIntExact(x.rows());
        int depth = architecture.depth();
        Activation sigma = architecture.activation();
        INDArray xd = x.castTo(DataType.DOUBLE);
        double[][] cov = xd.mmul(xd.transpose()).divi(architecture.inputDim()).toDoubleMatrix();
        double[][][] covariances = new double[depth + 1][][];
        double[][][] derivatives = new double[depth + 1][][];
        covariances[0] = cov;
        boolean quadrature = method == GaussianExpectation.QUADRATURE || !GaussianExpectation.hasClosedForm(sigma);
        double worst = 0;
        boolean converged = true;
        for (int l = 1; l <= depth; l++) {
            double[][] prev = covariances[l - 1];
            double[][] next = new double[n][n];
            double[][] dot = new double[n][n];
            for (int i = 0; i < n; i++) {
                cancellation.check();
                double a = prev[i][i];
                // E sigma(u)^2 and E sigma'(u)^2 by the same rule; they scale the off-diagonal tolerances
                GaussianQuadrature.Expectations e = method.of(sigma, a, a, a, 1.0, 1.0);
                e = method.of(sigma, a, a, a, Math.abs(e.valueProduct()), Math.abs(e.derivativeProduct()));
                next[i][i] = e.valueProduct();
                dot[i][i] = e.derivativeProduct();
                worst = Math.max(worst, relative(e.valueChange(), next[i][i]));
                worst = Math.max(worst, relative(e.derivativeChange(), dot[i][i]));
                converged &= e.converged();
            }
            for (int i = 0; i < n; i++) {
                cancellation.check();
                for (int j = i + 1; j < n; j++) {
                    double valueScale = Math.sqrt(next[i][i] * next[j][j]);
                    double derivativeScale = Math.sqrt(dot[i][i] * dot[j][j]);
                    GaussianQuadrature.Expectations e = method.of(sigma, prev[i][i], prev[j][j], prev[i][j],
                            valueScale, derivativeScale);
                    next[i][j] = next[j][i] = e.valueProduct();
                    dot[i][j] = dot[j][i] = e.derivativeProduct();
                    worst = Math.max(worst, relative(e.valueChange(), valueScale));
                    worst = Math.max(worst, relative(e.derivativeChange(), derivativeScale));
                    converged &= e.converged();
                }
            }
            covariances[l] = next;
            derivatives[l] = dot;
        }
        // backwards: P = Cdot_l o ... o Cdot_L, T_l = C_{l-1} o P_{l+1}... accumulated over trainable l
        double[][] theta = new double[n][n];
        double[][] product = new double[n][n];
        for (double[] row : product) {
            java.util.Arrays.fill(row, 1.0);
        }
        for (int l = depth + 1; l >= 1; l--) {
            if (l <= depth) {
                multiplyInto(product, derivatives[l]);
            }
            if (architecture.isTrainable(l)) {
                double[][] below = covariances[l - 1];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        theta[i][j] += below[i][j] * product[i][j];
                    }
                }
            }
        }
        return new Limit(Nd4j.createFromArray(theta), quadrature, worst, converged);
    }

    /**
     * dK_inf = ||K - Theta_inf (x) I_c||_F / ||Theta_inf (x) I_c||_F, with ||Theta (x) I_c||_F =
     * sqrt(c) ||Theta||_F. Allocates one (n c, n c) difference in K's type (Theta is cast to it).
     *
     * @param kernel the full kernel K, (n c, n c); not modified
     * @param theta  Theta_inf, (n, n)
     */
    public static double distance(INDArray kernel, INDArray theta, int c) {
        long nc = kernel.rows();
        if (kernel.columns() != nc || nc != theta.rows() * c || theta.columns() != theta.rows()) {
            throw new IllegalArgumentException("K must be (n c, n c) for Theta (n, n) and c = " + c);
        }
        INDArray limit = theta.castTo(kernel.dataType());
        INDArray difference = kernel.dup('c');
        for (int k = 0; k < c; k++) {
            difference.get(NDArrayIndex.interval(k, c, nc), NDArrayIndex.interval(k, c, nc)).subi(limit);
        }
        double numerator = difference.norm2Number().doubleValue();
        difference.close();
        return numerator / (Math.sqrt(c) * theta.norm2Number().doubleValue());
    }

    private static double relative(double change, double scale) {
        return change == 0 ? 0 : change / Math.abs(scale);
    }

    private static void multiplyInto(double[][] target, double[][] factor) {
        for (int i = 0; i < target.length; i++) {
            for (int j = 0; j < target.length; j++) {
                target[i][j] *= factor[i][j];
            }
        }
    }
}
