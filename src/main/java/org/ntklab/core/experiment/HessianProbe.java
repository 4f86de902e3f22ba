package org.ntklab.core.experiment;

/**
 * A probe of the model Hessian: H_k(w; x_i) for training input {@code index} = i and output k.
 */
public record HessianProbe(int index, int output) {
    public HessianProbe {
        if (index < 0 || output < 0) {
            throw new IllegalArgumentException("probe index and output must be >= 0, got (" + index + ", " + output + ")");
        }
    }
}
