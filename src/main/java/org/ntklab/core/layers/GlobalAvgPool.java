package org.ntklab.core.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.rng.SeededRandom;

/**
 * Global average pooling over the spatial axes: (C, S...) to (C), a_out[n, c] = mean_s a[n, c, s]
 * with S = H W positions (or L for 1-D). Linear and parameter-free: its VJP spreads delta / S over
 * the positions, its tangent is itself applied to dA, and it adds no curvature.
 */
public final class GlobalAvgPool implements Layer {

    private final long[] inputShape;
    private final long channels;
    private final long positions;

    public GlobalAvgPool(long[] inputShape) {
        if (inputShape.length < 2) {
            throw new IllegalArgumentException("global average pooling needs (C, H, W) or (C, L) inputs");
        }
        this.inputShape = inputShape.clone();
        this.channels = inputShape[0];
        long s = 1;
        for (int i = 1; i < inputShape.length; i++) {
            s *= inputShape[i];
        }
        this.positions = s;
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public long[] outputShape() {
        return new long[] {channels};
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public void initialize(SeededRandom random, INDArray theta) {
    }

    private INDArray pool(INDArray a) {
        return a.reshape('c', a.size(0), channels, positions).mean(2);
    }

    private INDArray spread(INDArray delta) {
        long n = delta.size(0);
        INDArray column = delta.reshape('c', n * channels, 1).div(positions);
        INDArray out = Nd4j.ones(delta.dataType(), n * channels, positions).muliColumnVector(column);
        long[] shape = new long[inputShape.length + 1];
        shape[0] = n;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        return out.reshape('c', shape);
    }

    @Override
    public Trace forward(INDArray theta, INDArray input) {
        return new Trace(input, pool(input), null);
    }

    @Override
    public INDArray backward(INDArray theta, Trace trace, INDArray delta, INDArray gradient, boolean needInput) {
        return needInput ? spread(delta) : null;
    }

    @Override
    public Trace tangent(INDArray theta, INDArray v, Trace trace, INDArray dInput) {
        return new Trace(dInput, dInput == null ? null : pool(dInput), null);
    }

    @Override
    public INDArray secondOrder(INDArray theta, INDArray v, Trace trace, Trace tangent, INDArray delta,
            INDArray rDelta, INDArray hv, boolean needInput) {
        return needInput && rDelta != null ? spread(rDelta) : null;
    }
}
