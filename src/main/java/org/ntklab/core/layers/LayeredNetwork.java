package org.ntklab.core.layers;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model f(w; x) given by a {@link Serial} stack (its last layer the output map phi) and a flat
 * parameter vector w, the concatenation of every layer's parameters in layer order (each a
 * row-major view: a convolution's in (C_out, C_in, k, k) order). Inputs arrive as data rows of
 * length d = prod(inputShape) (an image row-major in C, H, W order) and are reshaped to
 * (n, inputShape...). Every layer is trainable.
 */
public final class LayeredNetwork {

    private final Serial stack;
    private final DataType dtype;
    private final INDArray parameters;

    private LayeredNetwork(Serial stack, DataType dtype, INDArray parameters) {
        this.stack = stack;
        this.dtype = dtype;
        this.parameters = parameters;
        if (stack.outputShape().length != 1) {
            throw new IllegalArgumentException("the stack must end in vectors of c outputs, got "
                    + Arrays.toString(stack.outputShape()));
        }
    }

    /**
     * Draws w_0: layer j with parameters (1-based in order, depth first) from
     * {@code SeededRandom.stream(seed, j)}. Deterministic in the seed.
     */
    public static LayeredNetwork initialize(Serial stack, long seed, DataType dtype) {
        Objects.requireNonNull(stack, "stack");
        if (dtype != DataType.DOUBLE && dtype != DataType.FLOAT) {
            throw new IllegalArgumentException("dtype must be DOUBLE or FLOAT, got " + dtype);
        }
        if (stack.parameterCount() < 1) {
            throw new IllegalArgumentException("the stack has no parameters");
        }
        INDArray w = Nd4j.create(dtype, stack.parameterCount());
        stack.initialize(seed, w);
        return new LayeredNetwork(stack, dtype, w);
    }

    /** The same stack with parameters w (length p, this dtype), used as storage (not copied) when contiguous. */
    public LayeredNetwork withParameters(INDArray w) {
        if (w.length() != parameters.length() || w.dataType() != dtype) {
            throw new IllegalArgumentException("expected a " + dtype + " vector of length " + parameters.length());
        }
        INDArray storage = w.isView() || w.rank() != 1 ? w.dup().reshape(w.length()) : w;
        return new LayeredNetwork(stack, dtype, storage);
    }

    public LayeredNetwork copy() {
        return withParameters(parameters.dup());
    }

    public Serial stack() {
        return stack;
    }

    public DataType dataType() {
        return dtype;
    }

    /** w, live. */
    public INDArray parameters() {
        return parameters;
    }

    public long parameterCount() {
        return parameters.length();
    }

    /** c, the number of outputs. */
    public int outputDim() {
        return Math.toIntExact(stack.outputShape()[0]);
    }

    /** d = prod(inputShape), the length of a data row. */
    public long inputSize() {
        long d = 1;
        for (long s : stack.inputShape()) {
            d *= s;
        }
        return d;
    }

    /** Data rows (n, d) as a batch (n, inputShape...), a view where possible; x is not modified. */
    public INDArray batch(INDArray x) {
        if (x.rank() != 2 || x.columns() != inputSize()) {
            throw new IllegalArgumentException("inputs must have shape (n, " + inputSize() + "), got "
                    + Arrays.toString(x.shape()));
        }
        long[] in = stack.inputShape();
        long[] shape = new long[in.length + 1];
        shape[0] = x.rows();
        System.arraycopy(in, 0, shape, 1, in.length);
        INDArray c = x.ordering() == 'c' && !x.isView() ? x : x.dup('c');
        return c.reshape('c', shape);
    }

    /** The forward pass on data rows x (n, d); its output is F = f(w; X), shape (n, c). */
    public Layer.Trace forward(INDArray x) {
        return stack.forward(parameters, batch(x.castTo(dtype)));
    }

    /** {@code gradient} (length p, overwritten) := J^T U = sum_i sum_k U[i, k] grad_w f_k(w; x_i). */
    public void vjp(Layer.Trace trace, INDArray cotangent, INDArray gradient) {
        stack.backward(parameters, trace, cotangent, gradient, false);
    }

    /** J v, shape (n, c), at the trace's inputs; v (length p) is not modified. */
    public INDArray jvp(Layer.Trace trace, INDArray v) {
        return stack.tangent(parameters, v, trace, null).output();
    }
}
