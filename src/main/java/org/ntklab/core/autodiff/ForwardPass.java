package org.ntklab.core.autodiff;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Network;
import org.ntklab.core.nn.OutputMap;

/**
 * The forward pass of a batch through a {@link Network}, with what backward and second-order
 * passes need (SCIENCE.md, "Networks"). For inputs X of shape (n, d), row i = x_i:
 * <pre>
 *   A_0 = X,  Z_l = s_l A_{l-1} W_l^T  (n, m_l),  A_l = sigma(Z_l)     l = 1..L
 *   G = s_{L+1} A_L W_{L+1}^T  (n, c),  F = phi(G)
 * </pre>
 * Stored: A_l, sigma'(Z_l) and, when second order was requested, sigma''(Z_l); G, F, and for an
 * element-wise output map phi'(G) (and phi''(G)). Z_l itself is not kept. All arrays are owned by
 * this object; X is referenced, not copied, and never modified.
 */
public final class ForwardPass {

    private final Network network;
    private final INDArray[] activations;
    private final INDArray[] firstDerivatives;
    private final INDArray[] secondDerivatives;
    private final INDArray preOutput;
    private final INDArray output;
    private final INDArray outputFirst;
    private final INDArray outputSecond;

    private ForwardPass(Network network, INDArray[] activations, INDArray[] firstDerivatives,
            INDArray[] secondDerivatives, INDArray preOutput, INDArray output, INDArray outputFirst,
            INDArray outputSecond) {
        this.network = network;
        this.activations = activations;
        this.firstDerivatives = firstDerivatives;
        this.secondDerivatives = secondDerivatives;
        this.preOutput = preOutput;
        this.output = output;
        this.outputFirst = outputFirst;
        this.outputSecond = outputSecond;
    }

    /** Runs the forward pass keeping first derivatives (enough for gradients, JVPs and kernels). */
    public static ForwardPass run(Network network, INDArray x) {
        return run(network, x, false);
    }

    /**
     * Runs the forward pass.
     *
     * @param x           inputs, shape (n, d), the network's dtype; not modified
     * @param secondOrder also keep sigma''(Z_l) and phi''(G), for Hessian-vector products
     */
    public static ForwardPass run(Network network, INDArray x, boolean secondOrder) {
        int depth = network.architecture().depth();
        if (x.rank() != 2 || x.columns() != network.architecture().inputDim()) {
            throw new IllegalArgumentException("inputs must have shape (n, " + network.architecture().inputDim() + ")");
        }
        if (x.dataType() != network.dataType()) {
            throw new IllegalArgumentException("inputs are " + x.dataType() + " but the network is " + network.dataType());
        }
        long n = x.rows();
        Activation sigma = network.architecture().activation();
        INDArray[] a = new INDArray[depth + 1];
        INDArray[] d1 = new INDArray[depth + 1];
        INDArray[] d2 = secondOrder ? new INDArray[depth + 1] : null;
        a[0] = x;
        for (int l = 1; l <= depth; l++) {
            INDArray w = network.weight(l);
            INDArray z = Nd4j.create(network.dataType(), n, w.rows());
            Nd4j.gemm(a[l - 1], w, z, false, true, network.scale(l), 0.0);
            a[l] = Nd4j.create(network.dataType(), n, w.rows());
            if (secondOrder) {
                d1[l] = Nd4j.create(network.dataType(), n, w.rows());
                d2[l] = z;
                sigma.evaluate(z, a[l], d1[l], d2[l]);
            } else {
                d1[l] = z;
                sigma.evaluate(z, a[l], d1[l], null);
            }
        }
        int out = depth + 1;
        INDArray wOut = network.weight(out);
        INDArray g = Nd4j.create(network.dataType(), n, wOut.rows());
        Nd4j.gemm(a[depth], wOut, g, false, true, network.scale(out), 0.0);
        OutputMap phi = network.architecture().outputMap();
        INDArray f;
        INDArray p1 = null;
        INDArray p2 = null;
        if (phi.isLinear()) {
            f = g;
        } else if (phi.isElementwise()) {
            f = Nd4j.create(network.dataType(), g.shape());
            p1 = Nd4j.create(network.dataType(), g.shape());
            p2 = secondOrder ? Nd4j.create(network.dataType(), g.shape()) : null;
            phi.elementwise().evaluate(g, f, p1, p2);
        } else {
            f = Softmax.rows(g);
        }
        return new ForwardPass(network, a, d1, d2, g, f, p1, p2);
    }

    public Network network() {
        return network;
    }

    /** n, the batch size. */
    public long batchSize() {
        return activations[0].rows();
    }

    /** A_l for l = 0..L (A_0 = X), shape (n, m_l). */
    public INDArray activation(int l) {
        return activations[l];
    }

    /** sigma'(Z_l) for l = 1..L, shape (n, m_l). */
    public INDArray firstDerivative(int l) {
        return firstDerivatives[l];
    }

    /** sigma''(Z_l) for l = 1..L; only after a second-order pass. */
    public INDArray secondDerivative(int l) {
        if (secondDerivatives == null) {
            throw new IllegalStateException("the forward pass was run without second derivatives");
        }
        return secondDerivatives[l];
    }

    public boolean hasSecondOrder() {
        return secondDerivatives != null;
    }

    /** G, shape (n, c). */
    public INDArray preOutput() {
        return preOutput;
    }

    /** F = phi(G), shape (n, c). */
    public INDArray output() {
        return output;
    }

    /**
     * The vector-Jacobian product of the output map, row by row: returns dG with
     * dG_i = J_phi(g_i)^T dF_i, shape (n, c); {@code dF} is not modified. Element-wise maps:
     * dG = phi'(G) o dF. Softmax: dG_i = f_i o (dF_i - &lt;dF_i, f_i&gt;).
     */
    public INDArray outputVjp(INDArray dF) {
        OutputMap phi = network.architecture().outputMap();
        if (phi.isLinear()) {
            return dF.dup();
        }
        if (phi.isElementwise()) {
            return dF.mul(outputFirst);
        }
        return Softmax.jacobianProduct(output, dF);
    }

    /**
     * The Jacobian-vector product of the output map: dF = J_phi(G) dG row by row (the same
     * formulas as {@link #outputVjp}, the Jacobian being symmetric). {@code dG} is not modified.
     */
    public INDArray outputJvp(INDArray dG) {
        return outputVjp(dG);
    }

    /** phi'(G) for an element-wise, non-linear output map; null otherwise. */
    INDArray outputFirstDerivative() {
        return outputFirst;
    }

    /** phi''(G) for an element-wise, non-linear output map after a second-order pass; null otherwise. */
    INDArray outputSecondDerivative() {
        return outputSecond;
    }
}
