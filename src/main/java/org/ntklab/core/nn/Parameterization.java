package org.ntklab.core.nn;

/**
 * How a layer's weights are scaled (SCIENCE.md, paper Appendix B). With fan-in m = m_{l-1}:
 * <ul>
 *   <li>NTK: z = W a / sqrt(m), entries of W drawn N(0, 1);</li>
 *   <li>STANDARD (LeCun): z = W a, entries drawn N(0, 1/m).</li>
 * </ul>
 * Both give the same function at initialisation in distribution; the tangent kernel and the
 * Hessian differ by the scale factors.
 */
public enum Parameterization {
    NTK,
    STANDARD;

    /** The factor multiplying W a in the forward pass: 1/sqrt(fanIn) for NTK, 1 for STANDARD. */
    public double forwardScale(int fanIn) {
        return this == NTK ? 1.0 / Math.sqrt(fanIn) : 1.0;
    }

    /** The standard deviation of a weight at initialisation: 1 for NTK, 1/sqrt(fanIn) for STANDARD. */
    public double initScale(int fanIn) {
        return this == NTK ? 1.0 : 1.0 / Math.sqrt(fanIn);
    }
}
