package org.ntklab.core.nn;

/**
 * The output map phi applied to the last layer's pre-outputs g (SCIENCE.md): f = phi(g).
 * The element-wise maps reuse an {@link Activation}'s phi, phi', phi''; SOFTMAX couples the c
 * outputs of one input: f_k = e^(g_k) / sum_j e^(g_j), with Jacobian diag(f) - f f^T.
 */
public enum OutputMap {
    LINEAR(Activation.IDENTITY),
    SWISH(Activation.SWISH),
    SIGMOID(Activation.SIGMOID),
    TANH(Activation.TANH),
    SOFTMAX(null);

    private final Activation elementwise;

    OutputMap(Activation elementwise) {
        this.elementwise = elementwise;
    }

    /** The element-wise function, or null for SOFTMAX. */
    public Activation elementwise() {
        return elementwise;
    }

    public boolean isElementwise() {
        return elementwise != null;
    }

    /** Whether the map is the identity, so that f = g and phi'' = 0. */
    public boolean isLinear() {
        return this == LINEAR;
    }
}
