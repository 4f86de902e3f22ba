package org.ntklab.core.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
        return needInput ? delta.mul(derivatives(trace)[0]) : null;
    }

    @Override
    public Trace tangent(INDArray theta, INDArray v, Trace trace, INDArray dInput) {
        return new Trace(dInput, dInput == null ? null : dInput.mul(derivatives(trace)[0]), null);
    }

    @Override
    public INDArray secondOrder(INDArray theta, INDArray v, Trace trace, Trace tangent, INDArray delta,
            INDArray rDelta, INDArray hv, boolean needInput) {
        if (!needInput) {
            return null;
        }
        INDArray[] d = derivatives(trace);
        INDArray result = rDelta == null ? null : rDelta.mul(d[0]);
        if (tangent.input != null && d[1] != null) {
            INDArray curvature = delta.mul(d[1]).muli(tangent.input);
            result = result == null ? curvature : result.addi(curvature);
        }
        return result;
    }

    private static INDArray[] derivatives(Trace trace) {
        return (INDArray[]) trace.state;
    }
}
