package org.ntklab.core.autodiff;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Blas;
import org.ntklab.core.array.Elementwise;
import org.ntklab.core.nn.FirstLayer;
import org.ntklab.core.nn.Network;

/**
 * First-order derivatives of the network outputs with respect to the trainable parameters w
 * (length p), at the weights and inputs of a {@link ForwardPass}. J denotes the Jacobian of the
 * stacked outputs f_k(w; x_i) (row i*c + k), shape (n c, p).
 */
public final class Derivatives {

    private Derivatives() {
    }

    /**
     * Vector-Jacobian product J^T u: {@code gradient} := sum_{i,k} u_ik d f_k(w; x_i) / dw.
     * Reverse mode, per layer l = L+1..1:
     * <pre>
     *   delta_{L+1} = J_phi(G)^T U,  dW_l = s_l delta_l^T A_{l-1},
     *   delta_{l-1} = (s_l delta_l W_l) o sigma'(Z_{l-1})
     * </pre>
     *
     * @param pass     the forward pass at the weights of interest
     * @param u        cotangent of the outputs, shape (n, c); not modified
     * @param gradient receives J^T u, a vector of length p; overwritten
     */
    public static void vjp(ForwardPass pass, INDArray u, INDArray gradient) {
        // A linear output's J_phi^T U is U itself; the reverse pass only reads it, so no copy.
        boolean linear = pass.network().architecture().outputMap().isLinear();
        backwardFromPreOutput(pass, linear ? u : pass.outputVjp(u), gradient);
    }

    /**
     * Reverse pass from a cotangent of the pre-outputs G (shape (n, c), not modified):
     * {@code gradient} := (dG/dw)^T delta_{L+1}, a vector of length p, overwritten.
     */
    public static void backwardFromPreOutput(ForwardPass pass, INDArray deltaOut, INDArray gradient) {
        Network net = pass.network();
        if (FirstLayer.fusesBackward(net, pass.batchSize())) { // one hidden layer, few inputs: no (n, m) signal array
            FirstLayer.backward(net, pass.activation(0), pass.activation(1), pass.firstDerivative(1), deltaOut, gradient);
            return;
        }
        int lowest = net.lowestTrainableLayer();
        INDArray delta = deltaOut;
        for (int l = net.layerCount(); l >= lowest; l--) {
            double s = net.scale(l);
            if (net.architecture().isTrainable(l)) {
                Blas.gemm(true, false, s, delta, pass.activation(l - 1), 0.0, net.slice(gradient, l));
            }
            if (l > lowest) {
                INDArray below = pass.backwardScratch(l);
                if (delta.columns() == 1) { // one output unit: a rank-one product, fused with sigma'
                    Elementwise.outerHadamard(below, s, delta, net.weight(l), pass.firstDerivative(l - 1));
                } else {
                    Blas.gemm(false, false, s, delta, net.weight(l), 0.0, below);
                    Elementwise.multiply(below, pass.firstDerivative(l - 1));
                }
                delta = below;
            }
        }
    }

    /**
     * Jacobian-vector product J v: the directional derivative of every output, shape (n, c).
     * Forward mode: with dA_0 = 0,
     * <pre>
     *   dZ_l = s_l (dA_{l-1} W_l^T + A_{l-1} V_l^T),  dA_l = sigma'(Z_l) o dZ_l,
     *   dF = J_phi(G) dG,  dG = dZ_{L+1}
     * </pre>
     * where V_l is v's block for W_l (zero for frozen layers).
     *
     * @param v direction in parameter space, length p; not modified
     * @return a new (n, c) array
     */
    public static INDArray jvp(ForwardPass pass, INDArray v) {
        int layers = pass.network().layerCount();
        // Only dZ_{L+1} is wanted: each dA_l may overwrite dZ_l, one (n, m_l) array per layer.
        INDArray[] dz = new INDArray[layers + 1];
        INDArray result = pass.outputJvp(tangents(pass, v, dz, dz)[layers]);
        for (int l = 1; l <= layers; l++) { // free the (n, m_l) intermediates now (result is a new array)
            ForwardPass.release(dz[l]);
        }
        return result;
    }

    /**
     * The forward tangents dZ_l (l = 1..L+1, index l; index 0 unused) of direction v; dZ_{L+1} = dG.
     * Returned arrays are new; v is not modified.
     */
    static INDArray[] tangents(ForwardPass pass, INDArray v) {
        int layers = pass.network().layerCount();
        return tangents(pass, v, new INDArray[layers + 1], new INDArray[layers + 1]);
    }

    /**
     * As {@link #tangents(ForwardPass, INDArray)}, writing dZ_l into {@code dz[l]} and the
     * intermediate dA_l into {@code dA[l]}, each created (n, m_l) on first use and reused after.
     * {@code dA} may be {@code dz} itself: dA_l then overwrites dZ_l for l &lt;= L, and only
     * dZ_{L+1} is returned intact.
     *
     * @return {@code dz}
     */
    static INDArray[] tangents(ForwardPass pass, INDArray v, INDArray[] dz, INDArray[] dA) {
        Network net = pass.network();
        int layers = net.layerCount();
        long n = pass.batchSize();
        INDArray below = null;
        for (int l = 1; l <= layers; l++) {
            INDArray w = net.weight(l);
            double s = net.scale(l);
            if (dz[l] == null) {
                dz[l] = Nd4j.create(net.dataType(), n, w.rows());
            }
            INDArray z = dz[l];
            double beta = 0.0;
            if (below != null) {
                Blas.gemm(false, true, s, below, w, 0.0, z);
                beta = 1.0;
            }
            if (net.architecture().isTrainable(l)) {
                Blas.gemm(false, true, s, pass.activation(l - 1), net.slice(v, l), beta, z);
            } else if (below == null) {
                z.assign(0.0);
            }
            if (l < layers && (below != null || net.architecture().isTrainable(l))) {
                if (dA[l] == null) {
                    dA[l] = Nd4j.create(net.dataType(), n, w.rows());
                }
                Elementwise.product(dA[l], z, pass.firstDerivative(l));
                below = dA[l];
            } else if (l < layers) {
                below = null;
            }
        }
        return dz;
    }
}
