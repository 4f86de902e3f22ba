package org.ntklab.core.layers;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.rng.SeededRandom;

/**
 * A residual block a_out = a + alpha B(theta, a) around a branch B whose output shape equals its
 * input shape (typically conv - activation - conv). Its rules add the identity path to the
 * branch's:
 * <pre>
 *   backward  delta_in = delta + B_a^T (alpha delta),     g_theta = B_theta^T (alpha delta)
 *   tangent   dA_out = dA + alpha dB
 *   second    R{delta_in} = R{delta} + R-step of B with (alpha delta, alpha R{delta})
 * </pre>
 * With alpha = 0 the block is the identity (and its parameters get zero gradient).
 * {@link #defaultScale(int)} gives the usual 1/sqrt(blocks), which keeps the variance of a stack
 * of blocks bounded in depth.
 */
public final class Residual implements Layer {

    private final Serial branch;
    private final double alpha;

    public Residual(Serial branch, double alpha) {
        if (!Arrays.equals(branch.inputShape(), branch.outputShape())) {
            throw new IllegalArgumentException("a residual branch must keep the shape: "
                    + Arrays.toString(branch.inputShape()) + " -> " + Arrays.toString(branch.outputShape()));
        }
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite, got " + alpha);
        }
        this.branch = branch;
        this.alpha = alpha;
    }

    /** alpha = 1/sqrt(blocks). */
    public static double defaultScale(int blocks) {
        return 1.0 / Math.sqrt(blocks);
    }

    public Serial branch() {
        return branch;
    }

    public double alpha() {
        return alpha;
    }

    @Override
    public long[] inputShape() {
        return branch.inputShape();
    }

    @Override
    public long[] outputShape() {
        return branch.outputShape();
    }

    @Override
    public long parameterCount() {
        return branch.parameterCount();
    }

    @Override
    public void initialize(SeededRandom random, INDArray theta) {
        branch.initialize(random, theta);
    }

    @Override
    public Trace forward(INDArray theta, INDArray input) {
        Trace inner = branch.forward(theta, input);
        return new Trace(input, inner.output.mul(alpha).addi(input), inner);
    }

    @Override
    public INDArray backward(INDArray theta, Trace trace, INDArray delta, INDArray gradient, boolean needInput) {
        INDArray inner = branch.backward(theta, (Trace) trace.state, delta.mul(alpha), gradient, needInput);
        return needInput ? inner.addi(delta) : null;
    }

    @Override
    public Trace tangent(INDArray theta, INDArray v, Trace trace, INDArray dInput) {
        Trace inner = branch.tangent(theta, v, (Trace) trace.state, dInput);
        INDArray out = inner.output == null ? dInput : inner.output.mul(alpha);
        if (inner.output != null && dInput != null) {
            out.addi(dInput);
        }
        return new Trace(dInput, out, inner);
    }

    @Override
    public INDArray secondOrder(INDArray theta, INDArray v, Trace trace, Trace tangent, INDArray delta,
            INDArray rDelta, INDArray hv, boolean needInput) {
        INDArray inner = branch.secondOrder(theta, v, (Trace) trace.state, (Trace) tangent.state, delta.mul(alpha),
                rDelta == null ? null : rDelta.mul(alpha), hv, needInput);
        if (!needInput) {
            return null;
        }
        if (inner == null) {
            return rDelta;
        }
        return rDelta == null ? inner : inner.addi(rDelta);
    }
}
