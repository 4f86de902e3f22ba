package org.ntklab.core.nn;

import java.nio.ByteBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.array.Flat;
import org.ntklab.core.array.Parallel;
import org.ntklab.core.array.Simd;

/**
 * An element-wise function sigma with its first and second derivatives, sigma' and sigma''
 * (SCIENCE.md, "Networks"). The same functions serve as hidden activations and, through
 * {@link OutputMap}, as element-wise output maps phi.
 *
 * <p>{@link #evaluate} computes the requested functions in one pass over an array, spread over
 * ND4J's thread count by {@link Parallel}: float64 tanh in place in the arrays' native memory,
 * the others in chunks copied to the Java heap. Each chunk runs
 * through SIMD loops over the Vector API ({@link VectorActivationLoops}: exp, expm1 and log1p of
 * {@code Exp}, a polynomial erf) when {@link Simd} offers them, else through the same operations
 * as scalar loops ({@link ScalarActivationLoops}, which states the formulas): the two paths give
 * the same bits, within 4 ulp of the exact values over all doubles (ActivationAccuracyTest).
 * tanh is -em / (2 + em) with em = e^(-2|x|) - 1 (accurate near 0, where 1 - e^(-2|x|) would
 * cancel), and sigma' = 4 e / (2 + em)^2 with e = e^(-2|x|) (not 1 - tanh^2, which cancels for
 * large |x|): one formula, without the branch a blend would compute twice.
 */
public enum Activation {
    /** sigma(x) = x; sigma' = 1; sigma'' = 0. */
    IDENTITY,
    /** sigma = tanh x; sigma' = 1 - tanh^2 x; sigma'' = -2 tanh x (1 - tanh^2 x). */
    TANH,
    /** sigma = s(x) = 1 / (1 + e^-x); sigma' = s (1 - s); sigma'' = s (1 - s)(1 - 2s). */
    SIGMOID,
    /** sigma = x s(x); sigma' = s + x s (1 - s); sigma'' = s (1 - s)(2 + x (1 - 2s)). */
    SWISH,
    /** sigma = log(1 + e^x); sigma' = s(x); sigma'' = s (1 - s). */
    SOFTPLUS,
    /**
     * GELU, erf form: sigma = x Phi(x) with Phi(x) = (1 + erf(x / sqrt 2)) / 2 and
     * phi(x) = e^(-x^2/2) / sqrt(2 pi); sigma' = Phi + x phi; sigma'' = phi (2 - x^2).
     */
    GELU,
    /** sigma = erf x; sigma' = (2 / sqrt pi) e^(-x^2); sigma'' = -2 x sigma'. */
    ERF,
    /**
     * sigma = max(x, 0); sigma' = 1 for x &gt; 0, else 0; sigma'' = 0 almost everywhere, so a relu
     * network's Hessian comes only from cross-layer terms.
     */
    RELU;

    /** Elements per chunk copied to the heap: four arrays of 1024 doubles (32 KiB) stay in L1. */
    private static final int CHUNK = 1024;
    /** Per-thread chunk buffers: x, sigma, sigma', sigma''. */
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[4][CHUNK]);
    private static final ActivationLoops SCALAR = new ScalarActivationLoops();
    private static final ActivationLoops VECTOR = Simd.load("org.ntklab.core.nn.VectorActivationLoops",
            ActivationLoops.class);

    /** Whether sigma'' vanishes identically (or almost everywhere, relu). */
    public boolean hasZeroSecondDerivative() {
        return this == IDENTITY || this == RELU;
    }

    /**
     * Element-wise {@code value = sigma(z)}, {@code d1 = sigma'(z)}, {@code d2 = sigma''(z)}; only
     * the non-null outputs are computed.
     *
     * @param z     pre-activations, any shape, C-contiguous, DOUBLE or FLOAT; not modified (unless
     *              it is also passed as one of the outputs, which is allowed)
     * @param value receives sigma(z), same shape and type as z; may be null
     * @param d1    receives sigma'(z); may be null
     * @param d2    receives sigma''(z); may be null
     */
    public void evaluate(INDArray z, INDArray value, INDArray d1, INDArray d2) {
        Flat in = Flat.of(z);
        Flat v = value == null ? null : Flat.of(value);
        Flat f1 = d1 == null ? null : Flat.of(d1);
        Flat f2 = d2 == null ? null : Flat.of(d2);
        ActivationLoops loops = loops();
        if (loops.direct(this) && in.isDouble() && doubles(v) && doubles(f1) && doubles(f2)) {
            // in place: each thread's range read and written as it is computed, no heap chunks
            ByteBuffer x = in.bytes();
            ByteBuffer vb = v == null ? null : v.bytes();
            ByteBuffer b1 = f1 == null ? null : f1.bytes();
            ByteBuffer b2 = f2 == null ? null : f2.bytes();
            Parallel.forRange(in.length(), (from, to) -> loops.evaluate(this, x, from, vb, b1, b2, from, to - from));
            return;
        }
        Parallel.forRange(in.length(), (from, to) -> {
            double[][] scratch = SCRATCH.get();
            double[] x = scratch[0];
            for (int at = from; at < to; at += CHUNK) {
                int len = Math.min(CHUNK, to - at);
                in.read(at, x, len);
                loops.evaluate(this, x, v == null ? null : scratch[1], f1 == null ? null : scratch[2],
                        f2 == null ? null : scratch[3], len);
                write(v, at, scratch[1], len);
                write(f1, at, scratch[2], len);
                write(f2, at, scratch[3], len);
            }
        });
    }

    /**
     * sigma(x), sigma'(x) and sigma''(x) of one number, as {@code {value, d1, d2}} (the same
     * arithmetic as {@link #evaluate}, on the same path).
     */
    public double[] at(double x) {
        double[][] chunk = new double[4][CHUNK];
        chunk[0][0] = x;
        loops().evaluate(this, chunk[0], chunk[1], chunk[2], chunk[3], 1);
        return new double[] {chunk[1][0], chunk[2][0], chunk[3][0]};
    }

    /**
     * Element-wise sigma, sigma' and sigma'' of a Java array, with the arithmetic of
     * {@link #evaluate(INDArray, INDArray, INDArray, INDArray)} (the scalar loops, bit-identical to
     * the vector ones): for scalar algorithms such as quadrature, without an ND4J array per function.
     * Scalar on purpose: these calls are many and short, and once the start-up warm-up has compiled
     * the vector loops for long arrays, a new caller may not inline them and would box every vector
     * (measured: the infinite-width kernel of 20 inputs took 13.7 s instead of 1.1 s).
     *
     * @param x     not modified
     * @param value receives sigma(x), length at least x.length
     * @param d1    receives sigma'(x)
     * @param d2    receives sigma''(x)
     */
    public void evaluate(double[] x, double[] value, double[] d1, double[] d2) {
        SCALAR.evaluate(this, x, value, d1, d2, x.length);
    }

    /** The loops of the current path (read once per call, on the calling thread). */
    static ActivationLoops loops() {
        return VECTOR != null && Simd.vector() ? VECTOR : SCALAR;
    }

    /** tanh x within 1 ulp near 0 and 2 beyond (the scalar formula; see the class comment). */
    static double tanh(double x) {
        double[] out = new double[3];
        ScalarActivationLoops.at(TANH, x, false, out);
        return out[0];
    }

    private static boolean doubles(Flat array) {
        return array == null || array.isDouble();
    }

    private static void write(Flat to, int offset, double[] from, int len) {
        if (to != null) {
            to.write(offset, from, len);
        }
    }
}
