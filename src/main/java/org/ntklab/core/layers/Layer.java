package org.ntklab.core.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.rng.SeededRandom;

/**
 * One differentiable map a_out = F(theta, a_in) of a {@link Serial} stack, bound to the shape of
 * its input. Arrays carry the batch first: a_in has shape (n, inputShape...), a_out shape
 * (n, outputShape...), and theta is a view of the stack's flat parameter vector (length
 * {@link #parameterCount()}, row-major in the layer's own order).
 *
 * <p>Each layer supplies the four rules the exact Hessian-vector product needs (Pearlmutter's
 * R-operator), with v a direction in parameter space, dA = J_a v the tangent of the input and
 * delta = dL/da_out the reverse signal:
 * <pre>
 *   forward   a_out = F(theta, a_in)
 *   backward  delta_in = (dF/da)^T delta,   g_theta = (dF/dtheta)^T delta            (VJP)
 *   tangent   dA_out = dF/da dA + dF/dtheta v_theta                                   (JVP)
 *   second    R{delta_in} = (dF/da)^T R{delta} + R{(dF/da)^T} delta,
 *             (H v)_theta = (dF/dtheta)^T R{delta} + R{(dF/dtheta)^T} delta          (R-operator)
 * </pre>
 * No argument is modified unless it is documented as an output.
 */
public interface Layer {

    /** The per-example input shape this layer is bound to, e.g. (C, H, W) or (d). */
    long[] inputShape();

    /** The per-example output shape. */
    long[] outputShape();

    /** The trainable parameter count of this layer (0 for parameter-free layers). */
    long parameterCount();

    /**
     * Fills {@code theta} (length {@link #parameterCount()}) with this layer's initial values drawn
     * from {@code random}.
     */
    void initialize(SeededRandom random, INDArray theta);

    /** The forward pass on a batch; the returned trace holds a_out and what the other rules need. */
    Trace forward(INDArray theta, INDArray input);

    /**
     * The VJP.
     *
     * @param delta    dL/da_out, shape (n, outputShape...)
     * @param gradient receives (dF/dtheta)^T delta, summed over the batch (length
     *                 {@link #parameterCount()}); overwritten; may be null when there are no parameters
     * @param needInput whether delta_in is wanted (false below the lowest trainable layer)
     * @return delta_in, shape (n, inputShape...), or null when not wanted
     */
    INDArray backward(INDArray theta, Trace trace, INDArray delta, INDArray gradient, boolean needInput);

    /**
     * The JVP: dA_out for an input tangent {@code dInput} and a parameter direction {@code v}
     * (length {@link #parameterCount()}, may be null when there are none).
     *
     * @return a new array, or a trace of the tangent pass for {@link #secondOrder}
     */
    Trace tangent(INDArray theta, INDArray v, Trace trace, INDArray dInput);

    /**
     * The R-operator step.
     *
     * @param tangent the trace returned by {@link #tangent} for the same v
     * @param delta   the reverse signal at the output for the cotangent U
     * @param rDelta  R{delta}, its directional derivative along v
     * @param hv      receives (H v)_theta (length {@link #parameterCount()}); overwritten
     * @return R{delta_in}
     */
    INDArray secondOrder(INDArray theta, INDArray v, Trace trace, Trace tangent, INDArray delta, INDArray rDelta,
            INDArray hv, boolean needInput);

    /**
     * The state of one pass through one layer: its output and whatever the other rules reuse.
     * Layers read only their own traces.
     */
    class Trace {
        final INDArray input;
        final INDArray output;
        final Object state;

        Trace(INDArray input, INDArray output, Object state) {
            this.input = input;
            this.output = output;
            this.state = state;
        }

        /** a_out (or dA_out for a tangent trace). */
        public INDArray output() {
            return output;
        }
    }
}
