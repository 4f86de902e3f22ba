package org.ntklab.core.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.rng.SeededRandom;

/**
 * A layer linear in its weights and in its input: a_out = unfold(s P(a_in) W^T), where W is the
 * (outFeatures, inFeatures) weight matrix stored row-major in theta, P lifts a batch to a
 * (rows, inFeatures) matrix (the identity for a dense layer, im2col patches for a convolution),
 * unfold reshapes the (rows, outFeatures) product to the output layout and s is the
 * parameterization's forward scale for fan-in inFeatures. Being bilinear, its rules are
 * <pre>
 *   backward  g_W = s D^T P(a),  delta_in = P^T(s D W)            with D = fold(delta)
 *   tangent   dA_out = unfold(s (P(dA) W^T + P(a) V^T))
 *   second    (H v)_W = s (R{D}^T P(a) + D^T P(dA)),  R{delta_in} = P^T(s (R{D} W + D V))
 * </pre>
 * where P^T is the adjoint of P (col2im for a convolution) and fold the inverse of unfold.
 */
abstract class LinearLayer implements Layer {

    private final long outFeatures;
    private final long inFeatures;
    private final double scale;
    private final double initScale;

    LinearLayer(long outFeatures, long inFeatures, Parameterization parameterization) {
        this.outFeatures = outFeatures;
        this.inFeatures = inFeatures;
        int fanIn = Math.toIntExact(inFeatures);
        this.scale = parameterization.forwardScale(fanIn);
        this.initScale = parameterization.initScale(fanIn);
    }

    /** P(a): a (rows, inFeatures) matrix; a new array or a reshaped view. */
    abstract INDArray lift(INDArray input);

    /** P^T(m): the adjoint of {@link #lift}, shape (n, inputShape...). */
    abstract INDArray lower(INDArray matrix, long n);

    /** fold(delta): the (rows, outFeatures) matrix of an output-shaped array. */
    abstract INDArray fold(INDArray output);

    /** unfold(m): the output layout (n, outputShape...) of a (rows, outFeatures) matrix. */
    abstract INDArray unfold(INDArray matrix, long n);

    /** s, the factor of the forward pass. */
    public double scale() {
        return scale;
    }

    /** The weight matrix's shape, (outFeatures, inFeatures). */
    public long[] weightShape() {
        return new long[] {outFeatures, inFeatures};
    }

    @Override
    public long parameterCount() {
        return outFeatures * inFeatures;
    }

    @Override
    public void initialize(SeededRandom random, INDArray theta) {
        double[] values = new double[Math.toIntExact(parameterCount())];
        random.fillGaussian(values, initScale);
        theta.assign(Nd4j.create(values, new long[] {values.length}, DataType.DOUBLE).castTo(theta.dataType()));
    }

    private INDArray weights(INDArray theta) {
        return theta.reshape('c', outFeatures, inFeatures);
    }

    @Override
    public Trace forward(INDArray theta, INDArray input) {
        INDArray lifted = lift(input);
        INDArray z = Nd4j.create(input.dataType(), lifted.rows(), outFeatures);
        Nd4j.gemm(lifted, weights(theta), z, false, true, scale, 0.0);
        return new Trace(input, unfold(z, input.size(0)), lifted);
    }

    @Override
    public INDArray backward(INDArray theta, Trace trace, INDArray delta, INDArray gradient, boolean needInput) {
        INDArray d = fold(delta);
        if (gradient != null) {
            Nd4j.gemm(d, (INDArray) trace.state, weights(gradient), true, false, scale, 0.0);
        }
        if (!needInput) {
            return null;
        }
        INDArray below = Nd4j.create(delta.dataType(), d.rows(), inFeatures);
        Nd4j.gemm(d, weights(theta), below, false, false, scale, 0.0);
        return lower(below, delta.size(0));
    }

    @Override
    public Trace tangent(INDArray theta, INDArray v, Trace trace, INDArray dInput) {
        INDArray lifted = (INDArray) trace.state;
        INDArray z = Nd4j.create(lifted.dataType(), lifted.rows(), outFeatures);
        Nd4j.gemm(lifted, weights(v), z, false, true, scale, 0.0);
        INDArray dLifted = null;
        if (dInput != null) {
            dLifted = lift(dInput);
            Nd4j.gemm(dLifted, weights(theta), z, false, true, scale, 1.0);
        }
        return new Trace(dInput, unfold(z, trace.input.size(0)), dLifted);
    }

    @Override
    public INDArray secondOrder(INDArray theta, INDArray v, Trace trace, Trace tangent, INDArray delta,
            INDArray rDelta, INDArray hv, boolean needInput) {
        INDArray d = fold(delta);
        INDArray rd = rDelta == null ? null : fold(rDelta);
        INDArray block = weights(hv);
        INDArray dLifted = (INDArray) tangent.state;
        double beta = 0.0;
        if (rd != null) {
            Nd4j.gemm(rd, (INDArray) trace.state, block, true, false, scale, 0.0);
            beta = 1.0;
        }
        if (dLifted != null) {
            Nd4j.gemm(d, dLifted, block, true, false, scale, beta);
            beta = 1.0;
        }
        if (beta == 0.0) {
            block.assign(0.0);
        }
        if (!needInput) {
            return null;
        }
        INDArray below = Nd4j.create(delta.dataType(), d.rows(), inFeatures);
        Nd4j.gemm(d, weights(v), below, false, false, scale, 0.0);
        if (rd != null) {
            Nd4j.gemm(rd, weights(theta), below, false, false, scale, 1.0);
        }
        return lower(below, delta.size(0));
    }
}
