package org.ntklab.core.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.rng.SeededRandom;

/** Flattens (C, H, W) (or any per-example shape) to a vector of C H W values in row-major order. */
public final class Flatten implements Layer {

    private final long[] inputShape;
    private final long size;

    public Flatten(long[] inputShape) {
        this.inputShape = inputShape.clone();
        long s = 1;
        for (long d : inputShape) {
            s *= d;
        }
        this.size = s;
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public long[] outputShape() {
        return new long[] {size};
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public void initialize(SeededRandom random, INDArray theta) {
    }

    private INDArray unflatten(INDArray a) {
        long[] shape = new long[inputShape.length + 1];
        shape[0] = a.size(0);
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        return a.dup('c').reshape('c', shape);
    }

    private static INDArray flat(INDArray a, long size) {
        return a.dup('c').reshape('c', a.size(0), size);
    }

    @Override
    public Trace forward(INDArray theta, INDArray input) {
        return new Trace(input, flat(input, size), null);
    }

    @Override
    public INDArray backward(INDArray theta, Trace trace, INDArray delta, INDArray gradient, boolean needInput) {
        return needInput ? unflatten(delta) : null;
    }

    @Override
    public Trace tangent(INDArray theta, INDArray v, Trace trace, INDArray dInput) {
        return new Trace(dInput, dInput == null ? null : flat(dInput, size), null);
    }

    @Override
    public INDArray secondOrder(INDArray theta, INDArray v, Trace trace, Trace tangent, INDArray delta,
            INDArray rDelta, INDArray hv, boolean needInput) {
        return needInput && rDelta != null ? unflatten(rDelta) : null;
    }
}
