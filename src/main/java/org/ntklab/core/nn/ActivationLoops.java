package org.ntklab.core.nn;

import java.nio.ByteBuffer;

/**
 * sigma, sigma' and sigma'' of an {@link Activation} on one chunk of heap arrays, elements
 * [0, len), and, for the activations {@link #direct} names, on float64 elements of native memory
 * in place. Two implementations compute the same formulas (the class comment of
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

    /**
     * sigma and sigma' of x[xAt + k] for k in [0, len) into v[at + k] and d1[at + k], the same bits
     * as {@link #evaluate(Activation, double[], double[], double[], double[], int)}; nothing outside
     * those ranges is written. For loops that keep their values in larger heap buffers.
     */
    void evaluate(Activation sigma, double[] x, int xAt, double[] v, double[] d1, int at, int len);

    /**
     * Whether {@link #evaluate(Activation, ByteBuffer, int, ByteBuffer, ByteBuffer, ByteBuffer, int, int)}
     * computes sigma: loops that read and write native memory as they compute, with no copy into
     * heap chunks and out again, overlap the memory traffic with the arithmetic.
     */
    default boolean direct(Activation sigma) {
        return false;
    }

    /**
     * The float64 elements x[xAt + k] of native memory for k in [0, count): v[at + k] := sigma,
     * d1[at + k] := sigma', d2[at + k] := sigma'' (the outputs not null), the same bits as
     * {@link #evaluate(Activation, double[], double[], double[], double[], int)}. Buffers in the
     * platform's byte order, indexed in bytes from 0; an output may be the input (at = xAt).
     *
     * @throws IllegalArgumentException for an activation that {@link #direct} does not name
     */
    default void evaluate(Activation sigma, ByteBuffer x, int xAt, ByteBuffer v, ByteBuffer d1, ByteBuffer d2, int at,
            int count) {
        throw new IllegalArgumentException(sigma + " has no loops over native memory here");
    }
}
