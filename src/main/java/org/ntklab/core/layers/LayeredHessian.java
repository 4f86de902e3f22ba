package org.ntklab.core.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.spectral.LinearOperator;

/**
 * The exact Hessian of &lt;U, F(w)&gt; for a layered model, matrix-free (SCIENCE.md, "Hessian of the
 * model"): H v by Pearlmutter's R-operator, a tangent pass of v upwards through the stack then the
 * second-order pass downwards, each layer applying its own rule ({@link Layer}). With one input
 * and U = e_k this is H_k(w; x). Holds its forward pass; the network must not change while in use.
 */
public final class LayeredHessian implements LinearOperator {

    private final LayeredNetwork network;
    private final Layer.Trace trace;
    private final INDArray cotangent;

    /**
     * @param x         inputs, shape (n, d); not modified
     * @param cotangent U, shape (n, c); not modified
     */
    public LayeredHessian(LayeredNetwork network, INDArray x, INDArray cotangent) {
        this.network = network;
        this.trace = network.forward(x);
        if (cotangent.rows() != x.rows() || cotangent.columns() != network.outputDim()) {
            throw new IllegalArgumentException("cotangent must have shape (n, c)");
        }
        this.cotangent = cotangent.castTo(network.dataType());
    }

    /** H_k(w; x) for one input x (length d, or shape (1, d)). */
    public static LayeredHessian ofOutput(LayeredNetwork network, INDArray x, int k) {
        int c = network.outputDim();
        if (k < 0 || k >= c) {
            throw new IllegalArgumentException("output index " + k + " out of range [0, " + c + ")");
        }
        INDArray u = Nd4j.zeros(network.dataType(), 1, c);
        u.putScalar(0, k, 1.0);
        return new LayeredHessian(network, x.reshape(1, x.length()), u);
    }

    @Override
    public long dimension() {
        return network.parameterCount();
    }

    @Override
    public DataType dataType() {
        return network.dataType();
    }

    @Override
    public void apply(INDArray x, INDArray y) {
        Serial stack = network.stack();
        INDArray w = network.parameters();
        INDArray v = x.isView() ? x.dup() : x;
        Layer.Trace tangent = stack.tangent(w, v, trace, null);
        stack.secondOrder(w, v, trace, tangent, cotangent, null, y, false);
    }
}
