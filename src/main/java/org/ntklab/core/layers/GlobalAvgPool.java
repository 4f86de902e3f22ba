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

    /** mean over positions as one GEMM with a vector of 1/S (ND4J's reductions cost milliseconds here). */
    private INDArray pool(INDArray a) {
        long n = a.size(0);
        INDArray rows = a.dup('c').reshape('c', n * channels, positions);
        INDArray weights = Nd4j.valueArrayOf(new long[] {positions, 1}, 1.0 / positions, a.dataType());
        INDArray out = Nd4j.create(a.dataType(), n * channels, 1);
        Nd4j.gemm(rows, weights, out, false, false, 1.0, 0.0);
        return out.reshape('c', n, channels);
    }

    /** delta / S on every position: the outer product of delta with a vector of ones, as one GEMM. */
    private INDArray spread(INDArray delta) {
        long n = delta.size(0);
        INDArray column = delta.dup('c').reshape('c', n * channels, 1);
        INDArray ones = Nd4j.ones(delta.dataType(), 1, positions);
        INDArray out = Nd4j.create(delta.dataType(), n * channels, positions);
        Nd4j.gemm(column, ones, out, false, false, 1.0 / positions, 0.0);
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
