package org.ntklab.core.autodiff;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Blas;
import org.ntklab.core.array.Elementwise;
import org.ntklab.core.array.Flat;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.FirstLayer;
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
 *
 * <p>A training loop may hand the previous step's pass to {@link #run(Network, INDArray, boolean,
 * ForwardPass)}: the new pass then writes into the old one's arrays (and keeps its backward-pass
 * scratch), which invalidates the old pass. Matrix products go straight to OpenBLAS
 * ({@link Blas#gemm}) and the activation runs on ND4J's thread count.
 *
 * <p>{@link #close} frees the native memory of every array the pass owns at once instead of at
 * the next garbage collection (which matters at (n, m) = (100, 10^6): 0.8 GB per array).
 */
public final class ForwardPass implements AutoCloseable {

    private final Network network;
    private final INDArray[] activations;
    private final INDArray[] firstDerivatives;
    private final INDArray[] secondDerivatives;
    private final INDArray preOutput;
    private final INDArray output;
    private final INDArray outputFirst;
    private final INDArray outputSecond;
    /** Scratch of the reverse pass, (n, m_{l-1}) at index l; created on first use, kept on reuse. */
    private final INDArray[] backwardScratch;
    /** Scratch for callers such as the tangent kernel, (rows, m_{l-1}) at index l; kept on reuse. */
    private final INDArray[] callerScratch;

    private ForwardPass(Network network, INDArray[] activations, INDArray[] firstDerivatives,
            INDArray[] secondDerivatives, INDArray preOutput, INDArray output, INDArray outputFirst,
            INDArray outputSecond, INDArray[] backwardScratch, INDArray[] callerScratch) {
        this.network = network;
        this.backwardScratch = backwardScratch;
        this.callerScratch = callerScratch;
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
        return run(network, x, secondOrder, null);
    }

    /**
     * Runs the forward pass into the arrays of {@code reuse} when it has the same network shape,
     * batch size, dtype and order (first or second), else into new arrays.
     *
     * @param reuse a pass that is no longer needed, or null; after the call it must not be used
     */
    public static ForwardPass run(Network network, INDArray x, boolean secondOrder, ForwardPass reuse) {
        int depth = network.architecture().depth();
        if (x.rank() != 2 || x.columns() != network.architecture().inputDim()) {
            throw new IllegalArgumentException("inputs must have shape (n, " + network.architecture().inputDim() + ")");
        }
        if (x.dataType() != network.dataType()) {
            throw new IllegalArgumentException("inputs are " + x.dataType() + " but the network is " + network.dataType());
        }
        long n = x.rows();
        boolean recycle = reuse != null && reuse.fits(network, n, secondOrder);
        Activation sigma = network.architecture().activation();
        INDArray[] a = recycle ? reuse.activations : new INDArray[depth + 1];
        INDArray[] d1 = recycle ? reuse.firstDerivatives : new INDArray[depth + 1];
        INDArray[] d2 = recycle ? reuse.secondDerivatives : secondOrder ? new INDArray[depth + 1] : null;
        a[0] = x;
        int out = depth + 1;
        INDArray wOut = network.weight(out);
        INDArray g = recycle ? reuse.preOutput : Nd4j.create(network.dataType(), n, wOut.rows());
        boolean fusedOutput = false;
        for (int l = 1; l <= depth; l++) {
            INDArray w = network.weight(l);
            if (!recycle) {
                a[l] = Nd4j.create(network.dataType(), n, w.rows());
                d1[l] = Nd4j.create(network.dataType(), n, w.rows());
                if (secondOrder) {
                    d2[l] = Nd4j.create(network.dataType(), n, w.rows());
                }
            }
            if (l == 1 && FirstLayer.fusesForward(network, n)) { // few inputs: Z_1 formed block by block in cache
                fusedOutput = depth == 1 && wOut.rows() <= FirstLayer.MAX_OUTPUTS; // and G with it, for L = 1
                FirstLayer.forward(network, x, a[l], d1[l], secondOrder ? d2[l] : null, fusedOutput ? g : null);
                continue;
            }
            // Z_l goes into the buffer of sigma'' (or sigma'), which the activation overwrites in place.
            INDArray z = secondOrder ? d2[l] : d1[l];
            Blas.gemm(false, true, network.scale(l), a[l - 1], w, 0.0, z);
            sigma.evaluate(z, a[l], d1[l], secondOrder ? d2[l] : null);
        }
        if (!fusedOutput) {
            Blas.gemm(false, true, network.scale(out), a[depth], wOut, 0.0, g);
        }
        OutputMap phi = network.architecture().outputMap();
        INDArray f;
        INDArray p1 = null;
        INDArray p2 = null;
        if (phi.isLinear()) {
            f = g;
        } else if (phi.isElementwise()) {
            f = recycle ? reuse.output : Nd4j.create(network.dataType(), g.shape());
            p1 = recycle ? reuse.outputFirst : Nd4j.create(network.dataType(), g.shape());
            p2 = !secondOrder ? null : recycle ? reuse.outputSecond : Nd4j.create(network.dataType(), g.shape());
            phi.elementwise().evaluate(g, f, p1, p2);
        } else {
            f = Softmax.rows(g);
        }
        INDArray[] scratch = recycle ? reuse.backwardScratch : new INDArray[depth + 2];
        INDArray[] callerScratch = recycle ? reuse.callerScratch : new INDArray[depth + 2];
        return new ForwardPass(network, a, d1, d2, g, f, p1, p2, scratch, callerScratch);
    }

    /** Whether a pass of this shape can be written into this one's arrays. */
    private boolean fits(Network other, long n, boolean secondOrder) {
        return other.architecture().equals(network.architecture()) && other.dataType() == network.dataType()
                && batchSize() == n && hasSecondOrder() == secondOrder;
    }

    /**
     * The reverse pass's (n, m_{l-1}) buffer for layer l, created on first use. Callers must not
     * keep it beyond one reverse pass.
     */
    INDArray backwardScratch(int l) {
        if (backwardScratch[l] == null) {
            backwardScratch[l] = Nd4j.create(network.dataType(), batchSize(), network.architecture().width(l - 1));
        }
        return backwardScratch[l];
    }

    /**
     * A (rows, m_{l-1}) buffer for layer l that this pass owns and keeps across reuse, for
     * computations at the pass's weights that need one per layer (the tangent kernel's signals).
     * Its contents are arbitrary; it stays valid until the next call with the same l and another
     * row count, or {@link #close}. Not used by the pass itself.
     */
    public INDArray scratch(int l, long rows) {
        INDArray held = callerScratch[l];
        if (held == null || held.rows() != rows) {
            release(held);
            held = Nd4j.create(network.dataType(), rows, network.architecture().width(l - 1));
            callerScratch[l] = held;
        }
        return held;
    }

    /**
     * Frees the arrays this pass owns (not X, which it only references); afterwards neither the
     * pass nor any array obtained from it may be used. Idempotent.
     */
    @Override
    public void close() {
        for (int l = 1; l < activations.length; l++) {
            release(activations[l]);
            release(firstDerivatives[l]);
            if (secondDerivatives != null) {
                release(secondDerivatives[l]);
            }
        }
        for (INDArray scratch : backwardScratch) {
            release(scratch);
        }
        for (INDArray scratch : callerScratch) {
            release(scratch);
        }
        if (output != preOutput) {
            release(output);
        }
        release(preOutput);
        release(outputFirst);
        release(outputSecond);
    }

    /** Closes an array this code created, once. */
    static void release(INDArray array) {
        if (array != null && !array.wasClosed() && array.closeable()) {
            array.close();
        }
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
            INDArray dG = Nd4j.create(outputFirst.dataType(), outputFirst.shape());
            Elementwise.product(dG, Flat.isContiguous(dF) ? dF : dF.dup('c'), outputFirst);
            return dG;
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
