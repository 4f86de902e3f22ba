package org.ntklab.core.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Elementwise;
import org.ntklab.core.array.Flat;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.rng.SeededRandom;

/**
 * An element-wise function a_out = sigma(a_in) of any shape, from an {@link Activation}'s sigma,
 * sigma' and sigma'' (a hidden activation, or an element-wise output map phi):
 * <pre>
 *   backward  delta_in = sigma'(a) o delta
 *   tangent   dA_out = sigma'(a) o dA
 *   second    R{delta_in} = sigma'(a) o R{delta} + sigma''(a) o dA o delta
 * </pre>
 */
public final class Pointwise implements Layer {

    private final Activation activation;
    private final long[] shape;

    public Pointwise(Activation activation, long[] shape) {
        this.activation = activation;
        this.shape = shape.clone();
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public long[] inputShape() {
        return shape.clone();
    }

    @Override
    public long[] outputShape() {
        return shape.clone();
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public void initialize(SeededRandom random, INDArray theta) {
    }

    @Override
    public Trace forward(INDArray theta, INDArray input) {
        INDArray z = input.isView() || input.ordering() != 'c' ? input.dup('c') : input;
        INDArray value = Nd4j.create(z.dataType(), z.shape());
        INDArray d1 = Nd4j.create(z.dataType(), z.shape());
        INDArray d2 = activation.hasZeroSecondDerivative() ? null : Nd4j.create(z.dataType(), z.shape());
        activation.evaluate(z, value, d1, d2);
        return new Trace(input, value, new INDArray[] {d1, d2});
    }

    @Override
    public INDArray backward(INDArray theta, Trace trace, INDArray delta, INDArray gradient, boolean needInput) {
        return needInput ? product(delta, derivatives(trace)[0]) : null;
    }

    @Override
    public Trace tangent(INDArray theta, INDArray v, Trace trace, INDArray dInput) {
        return new Trace(dInput, dInput == null ? null : product(dInput, derivatives(trace)[0]), null);
    }

    @Override
    public INDArray secondOrder(INDArray theta, INDArray v, Trace trace, Trace tangent, INDArray delta,
            INDArray rDelta, INDArray hv, boolean needInput) {
        if (!needInput) {
            return null;
        }
        INDArray[] d = derivatives(trace);
        boolean curved = tangent.input != null && d[1] != null;
        if (rDelta != null && curved) { // R{delta} o sigma' + delta o sigma'' o dA in one fused pass
            INDArray result = contiguous(rDelta).dup('c');
            Elementwise.multiplyAddTriple(result, d[0], contiguous(delta), d[1], contiguous(tangent.input));
            return result;
        }
        if (curved) {
            INDArray result = product(delta, d[1]);
            Elementwise.multiply(result, contiguous(tangent.input));
            return result;
        }
        return rDelta == null ? null : product(rDelta, d[0]);
    }

    /** A new array a o b (b a C-contiguous derivative array of this layer), by the fused loops. */
    private static INDArray product(INDArray a, INDArray b) {
        INDArray out = Nd4j.create(b.dataType(), b.shape());
        Elementwise.product(out, contiguous(a), b);
        return out;
    }

    private static INDArray contiguous(INDArray a) {
        return Flat.isContiguous(a) ? a : a.dup('c');
    }

    private static INDArray[] derivatives(Trace trace) {
        return (INDArray[]) trace.state;
    }
}
