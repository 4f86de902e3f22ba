package org.ntklab.core.nn;

/**
 * sigma, sigma' and sigma'' of an {@link Activation} on one chunk of heap arrays, elements
 * [0, len). Two implementations compute the same formulas (the class comment of
 * {@link ScalarActivationLoops} states them): {@link ScalarActivationLoops} and, when the Vector
 * API is present, {@link VectorActivationLoops}.
 */
interface ActivationLoops {

    /**
     * @param x  inputs, not modified
     * @param v  receives sigma(x), or null when not wanted
     * @param d1 receives sigma'(x), or null
     * @param d2 receives sigma''(x), or null
     */
    void evaluate(Activation sigma, double[] x, double[] v, double[] d1, double[] d2, int len);
}
