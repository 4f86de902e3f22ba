package org.ntklab.core.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.nn.Parameterization;

/**
 * A fully connected layer z = s a W^T on per-example vectors of length d (SCIENCE.md, "Networks"):
 * W has shape (m, d), entries N(0, 1) with s = 1/sqrt(d) (NTK) or N(0, 1/d) with s = 1 (STANDARD),
 * stored row-major.
 */
public final class Dense extends LinearLayer {

    private final long inputs;
    private final long outputs;

    public Dense(long inputs, long outputs, Parameterization parameterization) {
        super(outputs, inputs, parameterization);
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("a dense layer needs at least one input and output");
        }
        this.inputs = inputs;
        this.outputs = outputs;
    }

    @Override
    public long[] inputShape() {
        return new long[] {inputs};
    }

    @Override
    public long[] outputShape() {
        return new long[] {outputs};
    }

    @Override
    INDArray lift(INDArray input) {
        return input;
    }

    @Override
    INDArray lower(INDArray matrix, long n) {
        return matrix;
    }

    @Override
    INDArray fold(INDArray output) {
        return output;
    }

    @Override
    INDArray unfold(INDArray matrix, long n) {
        return matrix;
    }
}
