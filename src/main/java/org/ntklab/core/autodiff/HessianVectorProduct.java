package org.ntklab.core.autodiff;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Blas;
import org.ntklab.core.array.Elementwise;
import org.ntklab.core.nn.Network;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.spectral.LinearOperator;

/**
 * The exact Hessian of a model output, as a matrix-free operator: for a cotangent U of shape
 * (n, c), H = d^2 &lt;U, F(w)&gt; / dw^2 (p x p), and {@link #apply} computes H v without forming H.
 * With n = 1 and U = e_k this is SCIENCE.md's H_k(w; x) = d^2 f_k(w; x) / dw^2.
 *
 * <p>Pearlmutter's R-operator: forward-mode differentiation of the reverse pass. With dZ_l the
 * forward tangents of direction v ({@link Derivatives#jvp}), dA_l = sigma'(Z_l) o dZ_l and the
 * reverse-pass signals delta_l, R{.} the directional derivative along v:
 * <pre>
 *   R{delta_{L+1}} = phi''(G) o dG o U                         (element-wise phi)
 *                  = dS o (U - &lt;U,S&gt;) - S o &lt;U,dS&gt;, dS = S o (dG - &lt;dG,S&gt;)   (softmax)
 *   H v |_{W_l}    = s_l (R{delta_l}^T A_{l-1} + delta_l^T dA_{l-1})
 *   R{delta_{l-1}} = s_l (R{delta_l} W_l + delta_l V_l) o sigma'(Z_{l-1})
 *                  + (s_l delta_l W_l) o sigma''(Z_{l-1}) o dZ_{l-1}
 * </pre>
 * For a non-linear output this gives H_f = phi'(g) H_g + phi''(g) grad g grad g^T exactly.
 * Exact to rounding; finite differences are a test oracle only.
 *
 * <p>The operator holds its own forward pass; the network must not change while it is used. It
 * keeps scratch buffers between calls, so one instance must not run {@link #apply} on two threads
 * at once.
 */
public final class HessianVectorProduct implements LinearOperator {

    private final ForwardPass pass;
    private final INDArray cotangent;
    private final INDArray[] deltas;
    private final INDArray[] backSignals;
    /** dA_j buffers of {@link #apply}, one per hidden layer, created on first use. */
    private final INDArray[] tangentScratch;
    /** dZ_l, dA_l of the forward tangents and R{delta_{l-1}} of the reverse pass, reused between calls. */
    private final INDArray[] tangents;
    private final INDArray[] forwardScratch;
    private final INDArray[] reverseScratch;
    /** R{delta_{L+1}} = 0 of a linear output, created on first use. */
    private INDArray zeroSignal;

    /**
     * @param network   the model at the weights of interest; not modified
     * @param x         inputs, shape (n, d); one probe input is n = 1
     * @param cotangent U, shape (n, c); e_k picks the output f_k. Not modified.
     */
    public HessianVectorProduct(Network network, INDArray x, INDArray cotangent) {
        this.pass = ForwardPass.run(network, x, true);
        if (cotangent.rows() != x.rows() || cotangent.columns() != network.architecture().outputDim()) {
            throw new IllegalArgumentException("cotangent must have shape (n, c)");
        }
        this.cotangent = cotangent.castTo(network.dataType()).dup('c'); // contiguous for the fused loops
        int layers = network.layerCount();
        int lowest = network.lowestTrainableLayer();
        this.deltas = new INDArray[layers + 1];
        this.backSignals = new INDArray[layers + 1];
        this.tangentScratch = new INDArray[layers + 1];
        this.tangents = new INDArray[layers + 1];
        this.forwardScratch = new INDArray[layers + 1];
        this.reverseScratch = new INDArray[layers + 1];
        INDArray delta = pass.outputVjp(this.cotangent);
        for (int l = layers; l >= lowest; l--) {
            deltas[l] = delta;
            if (l > lowest) {
                INDArray w = network.weight(l);
                INDArray below = Nd4j.create(network.dataType(), delta.rows(), w.columns());
                Blas.gemm(false, false, network.scale(l), delta, w, 0.0, below);
                backSignals[l] = below;
                delta = Nd4j.create(network.dataType(), delta.rows(), w.columns());
                Elementwise.product(delta, below, pass.firstDerivative(l - 1));
            }
        }
    }

    /** The Hessian of output {@code k} at a single input: U = e_k, x of shape (1, d). */
    public static HessianVectorProduct ofOutput(Network network, INDArray x, int k) {
        int c = network.architecture().outputDim();
        if (k < 0 || k >= c) {
            throw new IllegalArgumentException("output index " + k + " out of range [0, " + c + ")");
        }
        INDArray u = Nd4j.zeros(network.dataType(), 1, c);
        u.putScalar(0, k, 1.0);
        return new HessianVectorProduct(network, x.reshape(1, x.length()), u);
    }

    @Override
    public long dimension() {
        return pass.network().parameterCount();
    }

    @Override
    public DataType dataType() {
        return pass.network().dataType();
    }

    /**
     * y := H x.
     *
     * @param x direction, length p; not modified
     * @param y result, length p; overwritten
     */
    @Override
    public void apply(INDArray x, INDArray y) {
        Network net = pass.network();
        int layers = net.layerCount();
        int lowest = net.lowestTrainableLayer();
        INDArray[] dz = Derivatives.tangents(pass, x, tangents, forwardScratch);
        INDArray rDelta = outputSecondOrder(dz[layers]);
        for (int l = layers; l >= lowest; l--) {
            double s = net.scale(l);
            INDArray delta = deltas[l];
            if (net.architecture().isTrainable(l)) {
                INDArray block = net.slice(y, l);
                Blas.gemm(true, false, s, rDelta, pass.activation(l - 1), 0.0, block);
                if (l >= 2) {
                    INDArray dA = tangentScratch(l - 1);
                    Elementwise.product(dA, dz[l - 1], pass.firstDerivative(l - 1));
                    Blas.gemm(true, false, s, delta, dA, 1.0, block);
                }
            }
            if (l > lowest) {
                INDArray w = net.weight(l);
                INDArray rBelow = reverseScratch(l);
                Blas.gemm(false, false, s, rDelta, w, 0.0, rBelow);
                if (net.architecture().isTrainable(l)) {
                    Blas.gemm(false, false, s, delta, net.slice(x, l), 1.0, rBelow);
                }
                Elementwise.multiplyAddTriple(rBelow, pass.firstDerivative(l - 1), backSignals[l],
                        pass.secondDerivative(l - 1), dz[l - 1]);
                rDelta = rBelow;
            }
        }
    }

    /** A reused (n, m_{l-1}) buffer for R{delta_{l-1}}; alternate layers use distinct buffers. */
    private INDArray reverseScratch(int l) {
        if (reverseScratch[l] == null) {
            reverseScratch[l] = Nd4j.create(dataType(), pass.batchSize(), pass.network().architecture().width(l - 1));
        }
        return reverseScratch[l];
    }

    /** A reused (n, m_j) buffer for dA_j = sigma'(Z_j) o dZ_j. */
    private INDArray tangentScratch(int j) {
        if (tangentScratch[j] == null) {
            tangentScratch[j] = Nd4j.create(dataType(), pass.batchSize(), pass.network().architecture().width(j));
        }
        return tangentScratch[j];
    }

    /** R{delta_{L+1}}: the directional derivative of J_phi(G)^T U along dG. */
    private INDArray outputSecondOrder(INDArray dG) {
        OutputMap phi = pass.network().architecture().outputMap();
        if (phi.isLinear()) {
            if (zeroSignal == null) { // read-only below: one array for every call
                zeroSignal = Nd4j.zeros(dG.dataType(), dG.shape());
            }
            return zeroSignal;
        }
        if (phi.isElementwise()) { // phi''(G) o dG o U by the fused loops
            INDArray r = Nd4j.create(dG.dataType(), dG.shape());
            Elementwise.product(r, pass.outputSecondDerivative(), dG);
            Elementwise.multiply(r, cotangent);
            return r;
        }
        INDArray s = pass.output();
        INDArray dS = Softmax.jacobianProduct(s, dG);
        INDArray uDotS = cotangent.mul(s).sum(true, 1);
        INDArray uDotDs = cotangent.mul(dS).sum(true, 1);
        INDArray first = cotangent.subColumnVector(uDotS).muli(dS);
        INDArray second = s.mulColumnVector(uDotDs);
        return first.subi(second);
    }

    /** The forward pass this operator differentiates (second order). */
    public ForwardPass forwardPass() {
        return pass;
    }
}
