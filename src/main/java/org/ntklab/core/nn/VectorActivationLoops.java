package org.ntklab.core.nn;

import static org.ntklab.core.nn.ScalarActivationLoops.INV_SQRT_2;
import static org.ntklab.core.nn.ScalarActivationLoops.INV_SQRT_2PI;
import static org.ntklab.core.nn.ScalarActivationLoops.TAIL_BELOW;
import static org.ntklab.core.nn.ScalarActivationLoops.TANH_FAR;
import static org.ntklab.core.nn.ScalarActivationLoops.TWO_OVER_SQRT_PI;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.ntklab.core.array.Exp;
import org.ntklab.core.array.VectorExp;

/**
 * The formulas of {@link ScalarActivationLoops}, lane-wise over the Vector API at the CPU's
 * preferred width (exp, expm1 and log1p from {@link VectorExp}, bit-identical to the scalar
 * {@code Exp}, so both paths give the same bits). Branches become blends:
 * both sides are computed for a vector whose lanes straddle a breakpoint, and a side no lane
 * needs is skipped. Lanes outside the common range (tanh beyond |x| = 350, the subnormal tails,
 * infinities, NaN: ScalarActivationLoops' special cases) are recomputed by the scalar code, whose
 * operations are the same, so the bits are too; this keeps each loop small enough for the JIT to
 * inline every Vector API call (a DoubleVector crossing a call that is not inlined is boxed on
 * the heap, ten times slower). Arrays at least as long as len rounded up to whole vectors (the
 * chunk buffers of {@link Activation#evaluate}) are processed in whole vectors; shorter arrays end
 * with a scalar tail.
 *
 * <p>tanh's loops read and write their arrays in place, native memory ({@link #direct}: the arrays
 * of ND4J) or heap arrays, one loop for each with the same operations, so the loads and stores of
 * one vector overlap the arithmetic of the others, where copying a chunk in, computing it and
 * copying it out left the core waiting on memory in each copy (10^6 elements, 2 threads: 1.57 ns
 * per element through heap chunks, 1.13-1.2 in place). tanh takes three passes over a range:
 * {@code tanhNear} computes the vectors whose lanes all lie below |x| = 1 (the polynomial) and
 * sets the others aside, with P(u) for their lanes below 1; {@code tanhExp} computes e^(-2|x|)
 * for those; {@code tanhFinish} forms both formulas and blends them into the outputs.
 * Pre-activations of the paper's networks are small (|z| &lt; 1 for 99.8% of them at
 * initialisation), so the later passes are short; inputs spread over both sides pay for both
 * formulas (BENCHMARKS.md, sessions 8 and 9). Each loop is kept small: one loop holding both
 * formulas, or the exponential and the finish together, was too large for C2 to compile reliably
 * (in some runs it boxed every vector: 11 ms per training step instead of 2.5, 15-20 ns per
 * element). Native memory is processed from where the outputs' 64-byte vectors lie on whole cache
 * lines, the scalar code taking the elements before: ND4J's large buffers start 16 bytes past a
 * line, and a vector access spanning two lines is slower. Loaded only through {@code Simd.load}.
 */
public final class VectorActivationLoops implements ActivationLoops {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** S's shape in long lanes: the exponent's integer arithmetic, reinterpreted to and from S by constant species. */
    private static final VectorSpecies<Long> SL = S.withLanes(long.class);
    /** Native memory is read and written in the platform's byte order (no swapping). */
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Elements of native memory per call of a loop (its scratch for the lanes left to the scalar code). */
    private static final int DIRECT_RANGE = 4096;
    /** Beyond it (|x|) tanh's tail (e^(-2|x|) subnormal): the scalar code. */
    private static final double TANH_REGULAR = TANH_FAR;
    /** ScalarActivationLoops.TANH_EXP, tanh's e^rem - 1 = rem + rem^2 Q(rem), constants in the loop body. */
    private static final double E0 = ScalarActivationLoops.TANH_EXP[0];
    private static final double E1 = ScalarActivationLoops.TANH_EXP[1];
    private static final double E2 = ScalarActivationLoops.TANH_EXP[2];
    private static final double E3 = ScalarActivationLoops.TANH_EXP[3];
    private static final double E4 = ScalarActivationLoops.TANH_EXP[4];
    private static final double E5 = ScalarActivationLoops.TANH_EXP[5];
    private static final double E6 = ScalarActivationLoops.TANH_EXP[6];
    private static final double E7 = ScalarActivationLoops.TANH_EXP[7];
    private static final double E8 = ScalarActivationLoops.TANH_EXP[8];
    private static final double E9 = ScalarActivationLoops.TANH_EXP[9];
    private static final double E10 = ScalarActivationLoops.TANH_EXP[10];
    /** ScalarActivationLoops.TANH_SMALL, tanh's polynomial for |x| &lt; 1, constants in the loop body. */
    private static final double P0 = ScalarActivationLoops.TANH_SMALL[0];
    private static final double P1 = ScalarActivationLoops.TANH_SMALL[1];
    private static final double P2 = ScalarActivationLoops.TANH_SMALL[2];
    private static final double P3 = ScalarActivationLoops.TANH_SMALL[3];
    private static final double P4 = ScalarActivationLoops.TANH_SMALL[4];
    private static final double P5 = ScalarActivationLoops.TANH_SMALL[5];
    private static final double P6 = ScalarActivationLoops.TANH_SMALL[6];
    private static final double P7 = ScalarActivationLoops.TANH_SMALL[7];
    private static final double P8 = ScalarActivationLoops.TANH_SMALL[8];
    private static final double P9 = ScalarActivationLoops.TANH_SMALL[9];
    private static final double P10 = ScalarActivationLoops.TANH_SMALL[10];
    private static final double P11 = ScalarActivationLoops.TANH_SMALL[11];
    private static final double P12 = ScalarActivationLoops.TANH_SMALL[12];
    private static final double P13 = ScalarActivationLoops.TANH_SMALL[13];
    private static final double P14 = ScalarActivationLoops.TANH_SMALL[14];
    private static final double P15 = ScalarActivationLoops.TANH_SMALL[15];
    static {
        if (ScalarActivationLoops.TANH_EXP.length != 11) {
            throw new ExceptionInInitializerError("tanh's unrolled e^rem - 1 has 11 terms, ScalarActivationLoops' "
                    + ScalarActivationLoops.TANH_EXP.length);
        }
        if (ScalarActivationLoops.TANH_SMALL.length != 16) {
            throw new ExceptionInInitializerError("tanh's unrolled polynomial has 16 terms, ScalarActivationLoops' "
                    + ScalarActivationLoops.TANH_SMALL.length);
        }
    }

    /** e^-|x| above the subnormals for |x| below it: the logistic family's vector range. */
    private static final double LOGISTIC_REGULAR = -TAIL_BELOW;
    /** x^2 below it: gelu's e^(-x^2/2) and erf's e^(-x^2) above the subnormals. */
    private static final double GELU_REGULAR = -2.0 * TAIL_BELOW;
    private static final double ERF_REGULAR = -TAIL_BELOW;
    /** Per-thread scratch for the exponentials of a chunk (the exp pass runs as its own loop). */
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[3][4096]);
    /** Per-thread copies of a range for {@link #evaluate(Activation, double[], int, double[], double[], int, int)}. */
    private static final ThreadLocal<double[][]> RANGE_SCRATCH = ThreadLocal.withInitial(() -> new double[3][0]);
    /** Per-thread scratch of the tanh loops. */
    private static final ThreadLocal<Native> NATIVE = ThreadLocal.withInitial(Native::new);

    @Override
    public void evaluate(Activation sigma, double[] x, double[] v, double[] d1, double[] d2, int len) {
        if (sigma == Activation.TANH) {
            tanh(x, 0, v, d1, d2, 0, len);
            return;
        }
        int whole = (len + L - 1) / L * L;
        int bound = fits(whole, x, v, d1, d2) ? whole : S.loopBound(len);
        boolean second = d2 != null;
        int[] fix = new int[bound / L];
        double[][] scratch = SCRATCH.get();
        if (scratch[0].length < bound) {
            scratch = new double[][] {new double[bound], new double[bound], new double[bound]};
            SCRATCH.set(scratch);
        }
        double[] e = scratch[0];
        // Each loop is kept small enough for C2 to inline every Vector API call in it (a method
        // past C2's node budget leaves calls out, and a DoubleVector crossing them is boxed):
        // the exponentials run as a loop of their own, the rest reads them back.
        // One loop method per activation: the Vector API needs its whole loop body inlined.
        int count = switch (sigma) {
            case IDENTITY -> identity(x, v, d1, d2, bound);
            case TANH -> throw new IllegalStateException("tanh takes its own loop");
            case SOFTPLUS -> softplus(x, exponentials(x, -1.0, e, bound),
                    v == null ? null : logarithms(e, scratch[1], bound), v, d1, d2, bound, fix);
            case SIGMOID, SWISH -> logistic(sigma, x, exponentials(x, -1.0, e, bound),
                    second ? negativeExpm1(x, e, scratch[1], bound) : null, v, d1, d2, bound, fix);
            case GELU -> gelu(x, gaussians(x, 0.5, e, bound), erfcx(x, INV_SQRT_2, scratch[1], bound),
                    smallErf(x, INV_SQRT_2, scratch[2], bound), v, d1, d2, bound, fix);
            case ERF -> erf(x, gaussians(x, 1.0, e, bound), erfcx(x, 1.0, scratch[1], bound),
                    smallErf(x, 1.0, scratch[2], bound), v, d1, d2, bound, fix);
            case RELU -> relu(x, v, d1, d2, bound);
        };
        double[] out = new double[3];
        for (int f = 0; f < count; f++) {
            scalar(sigma, x, v, d1, d2, fix[f], Math.min(fix[f] + L, len), out);
        }
        scalar(sigma, x, v, d1, d2, bound, len, out);
    }

    @Override
    public void evaluate(Activation sigma, double[] x, int xAt, double[] v, double[] d1, int at, int len) {
        if (sigma == Activation.TANH) {
            tanh(x, xAt, v, d1, null, at, len);
            return;
        }
        double[][] scratch = RANGE_SCRATCH.get();
        int whole = (len + L - 1) / L * L;
        if (scratch[0].length < whole) {
            scratch = new double[][] {new double[whole], new double[whole], new double[whole]};
            RANGE_SCRATCH.set(scratch);
        }
        System.arraycopy(x, xAt, scratch[0], 0, len);
        evaluate(sigma, scratch[0], scratch[1], scratch[2], null, len);
        System.arraycopy(scratch[1], 0, v, at, len);
        System.arraycopy(scratch[2], 0, d1, at, len);
    }

    @Override
    public boolean direct(Activation sigma) {
        return sigma == Activation.TANH;
    }

    @Override
    public void evaluate(Activation sigma, ByteBuffer x, int xAt, ByteBuffer v, ByteBuffer d1, ByteBuffer d2, int at,
            int count) {
        if (!direct(sigma)) {
            throw new IllegalArgumentException(sigma + " has no loops over native memory here");
        }
        Native scratch = NATIVE.get().fit(DIRECT_RANGE);
        int[] wide = scratch.wide;
        double[] out = scratch.out;
        // the first elements by the scalar code, up to where the outputs' vectors lie on whole cache lines
        // (ND4J's large buffers start 16 bytes past one, so each 64-byte vector would span two)
        ByteBuffer first = v != null ? v : d1 != null ? d1 : x;
        int head = first.isDirect() ? Math.min(count, (64 - first.alignmentOffset(at * 8, 64)) % 64 / 8) : 0;
        for (int k = 0; k < head; k++) {
            scalarAt(sigma, x.getDouble((xAt + k) * 8), v, d1, d2, at + k, out);
        }
        for (int from = head; from < count; from += DIRECT_RANGE) { // ranges of DIRECT_RANGE: the scratch stays small
            int len = Math.min(DIRECT_RANGE, count - from);
            int bound = len / L * L;
            int widen = tanhNear(x, xAt + from, v, d1, d2, at + from, bound, scratch);
            int far = tanhExp(scratch, widen);
            tanhFinish(scratch, widen, v, d1, d2, at + from);
            for (int f = 0; f < far; f++) {
                for (int j = 0; j < L; j++) {
                    scalarAt(sigma, scratch.wideX[scratch.fix[f] * L + j], v, d1, d2, at + from + wide[scratch.fix[f]] + j, out);
                }
            }
            for (int k = bound; k < len; k++) { // the scalar tail
                scalarAt(sigma, x.getDouble((xAt + from + k) * 8), v, d1, d2, at + from + k, out);
            }
        }
    }

    /** Element k of the outputs from x by the scalar code (out: scratch for its three values). */
    private static void scalarAt(Activation sigma, double x, ByteBuffer v, ByteBuffer d1, ByteBuffer d2, int k,
            double[] out) {
        ScalarActivationLoops.at(sigma, x, d2 != null, out);
        if (v != null) {
            v.putDouble(k * 8, out[0]);
        }
        if (d1 != null) {
            d1.putDouble(k * 8, out[1]);
        }
        if (d2 != null) {
            d2.putDouble(k * 8, out[2]);
        }
    }

    /** Elements [from, to) by the scalar code (the same operations: the same bits). */
    private static void scalar(Activation sigma, double[] x, double[] v, double[] d1, double[] d2, int from, int to,
            double[] out) {
        for (int i = from; i < to; i++) {
            ScalarActivationLoops.at(sigma, x[i], d2 != null, out);
            if (v != null) {
                v[i] = out[0];
            }
            if (d1 != null) {
                d1[i] = out[1];
            }
            if (d2 != null) {
                d2[i] = out[2];
            }
        }
    }

    /** e[i] := e^(s |x[i]|); returns e. */
    private static double[] exponentials(double[] xs, double s, double[] e, int bound) {
        for (int i = 0; i < bound; i += L) {
            DoubleVector.fromArray(S, xs, i).abs().mul(s).intoArray(e, i);
        }
        VectorExp.exp(e, e, bound);
        return e;
    }

    /** m[i] := e^(-|x[i]|) - 1 from e[i] = e^(-|x[i]|) (VectorExp.expm1); returns m. */
    private static double[] negativeExpm1(double[] xs, double[] es, double[] m, int bound) {
        for (int i = 0; i < bound; i += L) {
            DoubleVector.fromArray(S, xs, i).abs().neg().intoArray(m, i);
        }
        VectorExp.expm1(m, es, m, bound);
        return m;
    }

    /** l[i] := log(1 + e[i]) (VectorExp.log1p); returns l. */
    private static double[] logarithms(double[] es, double[] l, int bound) {
        VectorExp.log1p(es, l, bound);
        return l;
    }

    /** g[i] := e^(-s x^2) (1 - s lo) from the exact square x^2 = hi + lo (Erf.gaussian); returns g. */
    private static double[] gaussians(double[] xs, double s, double[] g, int bound) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (int i = 0; i < bound; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, xs, i);
            x.mul(x).mul(-s).intoArray(g, i);
        }
        VectorExp.exp(g, g, bound);
        for (int i = 0; i < bound; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, xs, i);
            DoubleVector lo = x.fma(x, x.mul(x).neg());
            DoubleVector.fromArray(S, g, i).mul(one.sub(lo.mul(s))).intoArray(g, i);
        }
        return g;
    }

    /**
     * c[i] := erfcx(|x[i] scale|) where that is at least Erf.SMALL_LIMIT (else unspecified), as
     * Erf.erfcx: one pass per piece, each skipping the vectors with no lane in its range; returns c.
     */
    private static double[] erfcx(double[] xs, double scale, double[] c, int bound) {
        erfcxPiece(xs, scale, c, bound, Erf.SMALL_LIMIT, Erf.NEAR_LIMIT, Erf.NEAR, Erf.NEAR_CENTER,
                Erf.NEAR_INV_HALF_WIDTH);
        erfcxPiece(xs, scale, c, bound, Erf.NEAR_LIMIT, Erf.MID_LIMIT, Erf.MID, Erf.MID_CENTER, Erf.MID_INV_HALF_WIDTH);
        erfcxPiece(xs, scale, c, bound, Erf.MID_LIMIT, Erf.FAR_LIMIT, Erf.FAR, Erf.FAR_CENTER, Erf.FAR_INV_HALF_WIDTH);
        for (int i = 0; i < bound; i += L) { // u >= 5: erfcx(u) = TAIL(t(1 / u^2)) / u
            DoubleVector a = DoubleVector.fromArray(S, xs, i).mul(scale).abs();
            VectorMask<Double> band = a.compare(VectorOperators.GE, Erf.FAR_LIMIT);
            if (band.anyTrue()) {
                DoubleVector w = DoubleVector.broadcast(S, 1.0).div(a.mul(a));
                DoubleVector t = w.sub(Erf.TAIL_CENTER).mul(Erf.TAIL_INV_HALF_WIDTH);
                DoubleVector p = DoubleVector.broadcast(S, Erf.TAIL[Erf.TAIL.length - 1]);
                for (int j = Erf.TAIL.length - 2; j >= 0; j--) { // Horner in the loop body (see horner's note)
                    p = p.fma(t, DoubleVector.broadcast(S, Erf.TAIL[j]));
                }
                DoubleVector tail = p.div(a);
                DoubleVector.fromArray(S, c, i).blend(tail, band).intoArray(c, i);
            }
        }
        return c;
    }

    /** c[i] := the polynomial piece at |x[i] scale| for the lanes in [from, to); other lanes kept. */
    private static void erfcxPiece(double[] xs, double scale, double[] c, int bound, double from, double to,
            double[] piece, double center, double inverseHalfWidth) {
        for (int i = 0; i < bound; i += L) {
            DoubleVector a = DoubleVector.fromArray(S, xs, i).mul(scale).abs();
            VectorMask<Double> band = a.compare(VectorOperators.GE, from).and(a.compare(VectorOperators.LT, to));
            if (band.anyTrue()) {
                DoubleVector t = a.sub(center).mul(inverseHalfWidth);
                DoubleVector value = DoubleVector.broadcast(S, piece[piece.length - 1]);
                for (int j = piece.length - 2; j >= 0; j--) { // Horner in the loop body (see horner's note)
                    value = value.fma(t, DoubleVector.broadcast(S, piece[j]));
                }
                DoubleVector.fromArray(S, c, i).blend(value, band).intoArray(c, i);
            }
        }
    }

    /**
     * tanh of heap arrays, x[xAt + k] to the outputs (those not null) at at + k for k in [0, len),
     * in ranges of DIRECT_RANGE as the native-memory loop: whole vectors in the loop, the lanes it
     * leaves and the tail by the scalar code.
     */
    private static void tanh(double[] x, int xAt, double[] v, double[] d1, double[] d2, int at, int len) {
        Native scratch = NATIVE.get().fit(DIRECT_RANGE);
        int[] wide = scratch.wide;
        double[] out = scratch.out;
        for (int from = 0; from < len; from += DIRECT_RANGE) {
            int count = Math.min(DIRECT_RANGE, len - from);
            int bound = count / L * L;
            int widen = tanhNear(x, xAt + from, v, d1, d2, at + from, bound, scratch);
            int far = tanhExp(scratch, widen);
            tanhFinish(scratch, widen, v, d1, d2, at + from);
            for (int f = 0; f < far; f++) {
                for (int j = 0; j < L; j++) {
                    scalarAt(scratch.wideX[scratch.fix[f] * L + j], v, d1, d2, at + from + wide[scratch.fix[f]] + j, out);
                }
            }
            for (int k = bound; k < count; k++) { // the scalar tail
                scalarAt(x[xAt + from + k], v, d1, d2, at + from + k, out);
            }
        }
    }

    /** Element k of tanh's outputs (those not null) from x by the scalar code (out: scratch). */
    private static void scalarAt(double x, double[] v, double[] d1, double[] d2, int k, double[] out) {
        ScalarActivationLoops.at(Activation.TANH, x, d2 != null, out);
        if (v != null) {
            v[k] = out[0];
        }
        if (d1 != null) {
            d1[k] = out[1];
        }
        if (d2 != null) {
            d2[k] = out[2];
        }
    }

    /**
     * Per-thread scratch of the tanh loops for one range: the vectors with a lane at |x| &gt;= 1 (or
     * NaN), their first indices in the range (wide) and their inputs (wideX); for those with a lane
     * below 1 too, P(u) of tanhNear (wideP); e^(-2|x|) of tanhExp (wideE); and the vectors with a
     * lane left to the scalar code, by their place among them (fix).
     */
    private static final class Native {
        int[] wide = new int[0];
        double[] wideX = new double[0];
        double[] wideP = new double[0];
        double[] wideE = new double[0];
        int[] fix = new int[0];
        final double[] out = new double[3];

        Native fit(int len) {
            if (wideX.length < len) {
                wide = new int[len / L];
                wideX = new double[len];
                wideP = new double[len];
                wideE = new double[len];
                fix = new int[len / L];
            }
            return this;
        }
    }

    /**
     * tanh's first pass over whole vectors of native memory, elements k in [0, bound): x at xAt + k,
     * the outputs (those not null) at at + k. A vector with every lane at |x| &lt; 1 gets
     * t = x + x u P(u) and sigma' = 1 - (t + lo)^2 (ScalarActivationLoops' operations); any other is
     * left to {@link #tanhExp} and {@link #tanhFinish}: returns how many, their indices k in
     * scratch.wide, their inputs in scratch.wideX (L each, since an output may be the input:
     * at = xAt) and, where a lane is below 1, P(u) in scratch.wideP. P(u) is computed here, not in
     * a later loop, so that this loop's reads of x overlap arithmetic: a first pass that only read
     * x and set vectors aside waited on memory at 10^6 elements (BENCHMARKS.md, session 9).
     */
    private static int tanhNear(ByteBuffer xb, int xAt, ByteBuffer v, ByteBuffer d1, ByteBuffer d2, int at, int bound,
            Native scratch) {
        int[] wide = scratch.wide;
        double[] wideX = scratch.wideX;
        double[] wideP = scratch.wideP;
        int widen = 0;
        // all in this loop body: a vector passed to a call that is not inlined is boxed
        for (int i = 0; i < bound; i += L) {
            DoubleVector x = DoubleVector.fromByteBuffer(S, xb, (xAt + i) * 8, ORDER);
            DoubleVector u = x.mul(x);
            VectorMask<Double> small = u.compare(VectorOperators.LT, 1.0);
            if (small.allTrue()) {
                DoubleVector u2 = u.mul(u); // Estrin's scheme, as ScalarActivationLoops.tanhSmall
                DoubleVector u4 = u2.mul(u2);
                DoubleVector q03 = u.fma(P3, P2).fma(u2, u.fma(P1, P0));
                DoubleVector q47 = u.fma(P7, P6).fma(u2, u.fma(P5, P4));
                DoubleVector q8b = u.fma(P11, P10).fma(u2, u.fma(P9, P8));
                DoubleVector qcf = u.fma(P15, P14).fma(u2, u.fma(P13, P12));
                DoubleVector p = qcf.fma(u4, q8b).fma(u4.mul(u4), q47.fma(u4, q03));
                DoubleVector c = x.mul(u).mul(p);
                DoubleVector near = x.add(c);
                DoubleVector lo = x.sub(near).add(c);
                DoubleVector d = near.mul(-2.0).fma(lo, near.neg().fma(near, DoubleVector.broadcast(S, 1.0)));
                if (v != null) {
                    near.intoByteBuffer(v, (at + i) * 8, ORDER);
                }
                if (d1 != null) {
                    d.intoByteBuffer(d1, (at + i) * 8, ORDER);
                }
                if (d2 != null) {
                    near.mul(-2.0).mul(d).intoByteBuffer(d2, (at + i) * 8, ORDER);
                }
            } else {
                x.intoArray(wideX, widen * L);
                if (small.anyTrue()) { // the lanes below 1 are finished by tanhFinish
                    DoubleVector u2 = u.mul(u); // Estrin's scheme, as ScalarActivationLoops.tanhSmall
                    DoubleVector u4 = u2.mul(u2);
                    DoubleVector q03 = u.fma(P3, P2).fma(u2, u.fma(P1, P0));
                    DoubleVector q47 = u.fma(P7, P6).fma(u2, u.fma(P5, P4));
                    DoubleVector q8b = u.fma(P11, P10).fma(u2, u.fma(P9, P8));
                    DoubleVector qcf = u.fma(P15, P14).fma(u2, u.fma(P13, P12));
                    DoubleVector p = qcf.fma(u4, q8b).fma(u4.mul(u4), q47.fma(u4, q03));
                    p.intoArray(wideP, widen * L);
                }
                wide[widen++] = i;
            }
        }
        return widen;
    }

    /**
     * The loop of {@link #tanhNear(ByteBuffer, int, ByteBuffer, ByteBuffer, ByteBuffer, int, int, Native)}
     * over heap arrays: the same operations, so the same bits.
     */
    private static int tanhNear(double[] xs, int xAt, double[] v, double[] d1, double[] d2, int at, int bound,
            Native scratch) {
        int[] wide = scratch.wide;
        double[] wideX = scratch.wideX;
        double[] wideP = scratch.wideP;
        int widen = 0;
        // all in this loop body: a vector passed to a call that is not inlined is boxed
        for (int i = 0; i < bound; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, xs, xAt + i);
            DoubleVector u = x.mul(x);
            VectorMask<Double> small = u.compare(VectorOperators.LT, 1.0);
            if (small.allTrue()) {
                DoubleVector u2 = u.mul(u); // Estrin's scheme, as ScalarActivationLoops.tanhSmall
                DoubleVector u4 = u2.mul(u2);
                DoubleVector q03 = u.fma(P3, P2).fma(u2, u.fma(P1, P0));
                DoubleVector q47 = u.fma(P7, P6).fma(u2, u.fma(P5, P4));
                DoubleVector q8b = u.fma(P11, P10).fma(u2, u.fma(P9, P8));
                DoubleVector qcf = u.fma(P15, P14).fma(u2, u.fma(P13, P12));
                DoubleVector p = qcf.fma(u4, q8b).fma(u4.mul(u4), q47.fma(u4, q03));
                DoubleVector c = x.mul(u).mul(p);
                DoubleVector near = x.add(c);
                DoubleVector lo = x.sub(near).add(c);
                DoubleVector d = near.mul(-2.0).fma(lo, near.neg().fma(near, DoubleVector.broadcast(S, 1.0)));
                if (v != null) {
                    near.intoArray(v, at + i);
                }
                if (d1 != null) {
                    d.intoArray(d1, at + i);
                }
                if (d2 != null) {
                    near.mul(-2.0).mul(d).intoArray(d2, at + i);
                }
            } else {
                x.intoArray(wideX, widen * L);
                if (small.anyTrue()) { // the lanes below 1 are finished by tanhFinish
                    DoubleVector u2 = u.mul(u); // Estrin's scheme, as ScalarActivationLoops.tanhSmall
                    DoubleVector u4 = u2.mul(u2);
                    DoubleVector q03 = u.fma(P3, P2).fma(u2, u.fma(P1, P0));
                    DoubleVector q47 = u.fma(P7, P6).fma(u2, u.fma(P5, P4));
                    DoubleVector q8b = u.fma(P11, P10).fma(u2, u.fma(P9, P8));
                    DoubleVector qcf = u.fma(P15, P14).fma(u2, u.fma(P13, P12));
                    DoubleVector p = qcf.fma(u4, q8b).fma(u4.mul(u4), q47.fma(u4, q03));
                    p.intoArray(wideP, widen * L);
                }
                wide[widen++] = i;
            }
        }
        return widen;
    }

    /**
     * tanh's second pass, over the vectors {@link #tanhNear} left (count of them, their inputs in
     * scratch.wideX): e = e^(-2|x|) into scratch.wideE from one range reduction (Exp.powerOfTwo and
     * Exp.remainder's operations) and e^rem - 1 = rem + rem^2 Q(rem)
     * (ScalarActivationLoops.tanhExpm1's operations). Returns how many of these vectors have a lane
     * beyond TANH_REGULAR (or NaN), for the scalar code: their places among them in scratch.fix.
     * Memory kind free: both tanh paths share it.
     */
    private static int tanhExp(Native scratch, int count) {
        double[] wideX = scratch.wideX;
        double[] wideE = scratch.wideE;
        int[] fix = scratch.fix;
        int far = 0;
        // all in this loop body: a vector passed to a call that is not inlined is boxed
        for (int w = 0; w < count; w++) {
            DoubleVector x = DoubleVector.fromArray(S, wideX, w * L);
            DoubleVector a = x.abs();
            if (!a.compare(VectorOperators.LT, TANH_REGULAR).allTrue()) {
                fix[far++] = w;
            }
            // e^y = s e^rem, y = -2|x|, s = 2^k (Exp.powerOfTwo), rem = y - k ln 2 (Exp.remainder)
            DoubleVector y = a.mul(-2.0);
            DoubleVector shifted = y.fma(Exp.INV_LN2, Exp.SHIFTER);
            DoubleVector s = (DoubleVector) ((LongVector) shifted.convertShape(VectorOperators.REINTERPRET_D2L, SL, 0))
                    .sub(Exp.SHIFTER_BITS - 1023).lanewise(VectorOperators.LSHL, 52)
                    .convertShape(VectorOperators.REINTERPRET_L2D, S, 0);
            DoubleVector k = shifted.sub(Exp.SHIFTER);
            DoubleVector rem = k.fma(DoubleVector.broadcast(S, -Exp.LN2_HI), y); // fma(-k, ln2, y), as the scalar's
            rem = k.fma(DoubleVector.broadcast(S, -Exp.LN2_LO), rem);
            // q = e^rem - 1 = rem + rem^2 Q(rem), Q by Estrin's scheme
            DoubleVector rem2 = rem.mul(rem);
            DoubleVector rem4 = rem2.mul(rem2);
            DoubleVector q03 = rem.fma(E3, E2).fma(rem2, rem.fma(E1, E0));
            DoubleVector q47 = rem.fma(E7, E6).fma(rem2, rem.fma(E5, E4));
            DoubleVector q8a = rem2.fma(DoubleVector.broadcast(S, E10), rem.fma(E9, E8));
            DoubleVector q = q8a.fma(rem4.mul(rem4), q47.fma(rem4, q03)).fma(rem2, rem);
            s.fma(q, s).intoArray(wideE, w * L);
        }
        return far;
    }

    /**
     * tanh's last pass, over the vectors {@link #tanhNear} left (count of them; their indices k in
     * scratch.wide, inputs in scratch.wideX, e^(-2|x|) in scratch.wideE, P(u) in scratch.wideP):
     * r = 1 / (1 + e) corrected by its residual, t = sign(x) (1 - 2 e r) and sigma' = 4 e r^2 in the
     * lanes at |x| &gt;= 1, t = x + x u P(u) and sigma' = 1 - (t + lo)^2 in the others
     * (ScalarActivationLoops' operations), into the outputs (those not null) at at + k. The lanes
     * below 1 are finished here rather than in tanhNear: this loop waits on its divisions and
     * stores, and has room for their few operations.
     */
    private static void tanhFinish(Native scratch, int count, ByteBuffer v, ByteBuffer d1, ByteBuffer d2, int at) {
        int[] wide = scratch.wide;
        double[] wideX = scratch.wideX;
        double[] wideE = scratch.wideE;
        double[] wideP = scratch.wideP;
        // all in this loop body: a vector passed to a call that is not inlined is boxed
        for (int w = 0; w < count; w++) {
            DoubleVector one = DoubleVector.broadcast(S, 1.0);
            DoubleVector x = DoubleVector.fromArray(S, wideX, w * L);
            DoubleVector e = DoubleVector.fromArray(S, wideE, w * L);
            DoubleVector negDen = e.neg().sub(1.0); // -(1 + e)
            DoubleVector lo = negDen.add(1.0).add(e); // (1 + e) - (1 + e rounded)
            DoubleVector r = one.div(negDen.neg());
            DoubleVector rp = r.fma(negDen, one).sub(lo.mul(r)).fma(r, r); // 1 / (1 + e), corrected
            DoubleVector g = e.mul(2.0).mul(rp);
            DoubleVector magnitude = one.sub(g); // 1 - 2 e / (1 + e), positive
            DoubleVector t = magnitude.blend(magnitude.neg(), x.compare(VectorOperators.LT, 0.0)); // sign(x) (1 - 2e/(1 + e))
            DoubleVector d = g.add(g).mul(rp);
            // the lanes below 1: t = x + c, c = x u P(u), and sigma' = 1 - (t + lo)^2, as tanhNear
            DoubleVector u = x.mul(x);
            VectorMask<Double> small = u.compare(VectorOperators.LT, 1.0);
            DoubleVector c = x.mul(u).mul(DoubleVector.fromArray(S, wideP, w * L));
            DoubleVector near = x.add(c);
            DoubleVector nearLo = x.sub(near).add(c);
            t = t.blend(near, small);
            d = d.blend(near.mul(-2.0).fma(nearLo, near.neg().fma(near, one)), small);
            int o = (at + wide[w]) * 8;
            if (v != null) {
                t.intoByteBuffer(v, o, ORDER);
            }
            if (d1 != null) {
                d.intoByteBuffer(d1, o, ORDER);
            }
            if (d2 != null) {
                t.mul(-2.0).mul(d).intoByteBuffer(d2, o, ORDER);
            }
        }
    }

    /**
     * The loop of {@link #tanhFinish(Native, int, ByteBuffer, ByteBuffer, ByteBuffer, int)} into heap
     * arrays: the same operations, so the same bits.
     */
    private static void tanhFinish(Native scratch, int count, double[] v, double[] d1, double[] d2, int at) {
        int[] wide = scratch.wide;
        double[] wideX = scratch.wideX;
        double[] wideE = scratch.wideE;
        double[] wideP = scratch.wideP;
        // all in this loop body: a vector passed to a call that is not inlined is boxed
        for (int w = 0; w < count; w++) {
            DoubleVector one = DoubleVector.broadcast(S, 1.0);
            DoubleVector x = DoubleVector.fromArray(S, wideX, w * L);
            DoubleVector e = DoubleVector.fromArray(S, wideE, w * L);
            DoubleVector negDen = e.neg().sub(1.0); // -(1 + e)
            DoubleVector lo = negDen.add(1.0).add(e); // (1 + e) - (1 + e rounded)
            DoubleVector r = one.div(negDen.neg());
            DoubleVector rp = r.fma(negDen, one).sub(lo.mul(r)).fma(r, r); // 1 / (1 + e), corrected
            DoubleVector g = e.mul(2.0).mul(rp);
            DoubleVector magnitude = one.sub(g); // 1 - 2 e / (1 + e), positive
            DoubleVector t = magnitude.blend(magnitude.neg(), x.compare(VectorOperators.LT, 0.0)); // sign(x) (1 - 2e/(1 + e))
            DoubleVector d = g.add(g).mul(rp);
            // the lanes below 1: t = x + c, c = x u P(u), and sigma' = 1 - (t + lo)^2, as tanhNear
            DoubleVector u = x.mul(x);
            VectorMask<Double> small = u.compare(VectorOperators.LT, 1.0);
            DoubleVector c = x.mul(u).mul(DoubleVector.fromArray(S, wideP, w * L));
            DoubleVector near = x.add(c);
            DoubleVector nearLo = x.sub(near).add(c);
            t = t.blend(near, small);
            d = d.blend(near.mul(-2.0).fma(nearLo, near.neg().fma(near, one)), small);
            int o = at + wide[w];
            if (v != null) {
                t.intoArray(v, o);
            }
            if (d1 != null) {
                d.intoArray(d1, o);
            }
            if (d2 != null) {
                t.mul(-2.0).mul(d).intoArray(d2, o);
            }
        }
    }

    /** ms: e^(-|x|) - 1 for sigma'', or null. */
    private static int logistic(Activation sigma, double[] xs, double[] es, double[] ms, double[] v, double[] d1,
            double[] d2, int bound, int[] fix) {
        int count = 0;
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (int i = 0; i < bound; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, xs, i);
            DoubleVector a = x.abs();
            if (!a.compare(VectorOperators.LE, LOGISTIC_REGULAR).allTrue()) {
                fix[count++] = i;
            }
            DoubleVector e = DoubleVector.fromArray(S, es, i);
            DoubleVector p = one.add(e);
            DoubleVector r0 = one.div(p);
            DoubleVector r = r0.neg().fma(p, one).sub(one.sub(p).add(e).mul(r0)).fma(r0, r0);
            DoubleVector er = e.mul(r);
            VectorMask<Double> negative = x.compare(VectorOperators.LT, 0.0);
            DoubleVector s = r.blend(er, negative);
            DoubleVector sp = er.mul(r);
            DoubleVector m = DoubleVector.zero(S); // never null: a vector merged with null at a join is boxed
            if (ms != null) {
                DoubleVector mr = DoubleVector.fromArray(S, ms, i).mul(r);
                m = mr.blend(mr.neg(), negative);
            }
            switch (sigma) {
                case SIGMOID -> {
                    if (v != null) {
                        s.intoArray(v, i);
                    }
                    if (d1 != null) {
                        sp.intoArray(d1, i);
                    }
                    if (d2 != null) {
                        sp.mul(m).intoArray(d2, i);
                    }
                }
                case SWISH -> {
                    if (v != null) {
                        x.mul(s).intoArray(v, i);
                    }
                    if (d1 != null) {
                        x.fma(sp, s).intoArray(d1, i);
                    }
                    if (d2 != null) {
                        sp.mul(x.fma(m, DoubleVector.broadcast(S, 2.0))).intoArray(d2, i);
                    }
                }
                default -> throw new IllegalArgumentException(sigma + " is not sigmoid or swish");
            }
        }
        return count;
    }

    /**
     * softplus, sigma' = s and sigma'' = s (1 - s), in a loop of its own (logs: log(1 + e^-|x|),
     * or null without sigma). Its first lines repeat logistic's on purpose: a helper that takes or
     * returns vectors is the one thing these loops must not call.
     */
    private static int softplus(double[] xs, double[] es, double[] logs, double[] v, double[] d1, double[] d2,
            int bound, int[] fix) {
        int count = 0;
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (int i = 0; i < bound; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, xs, i);
            DoubleVector a = x.abs();
            if (!a.compare(VectorOperators.LE, LOGISTIC_REGULAR).allTrue()) {
                fix[count++] = i;
            }
            DoubleVector e = DoubleVector.fromArray(S, es, i);
            DoubleVector p = one.add(e);
            DoubleVector r0 = one.div(p);
            DoubleVector r = r0.neg().fma(p, one).sub(one.sub(p).add(e).mul(r0)).fma(r0, r0);
            DoubleVector er = e.mul(r);
            if (v != null) {
                x.max(0.0).add(DoubleVector.fromArray(S, logs, i)).intoArray(v, i);
            }
            if (d1 != null) {
                r.blend(er, x.compare(VectorOperators.LT, 0.0)).intoArray(d1, i);
            }
            if (d2 != null) {
                er.mul(r).intoArray(d2, i);
            }
        }
        return count;
    }

    private static int gelu(double[] xs, double[] gs, double[] cs, double[] ss, double[] v, double[] d1, double[] d2, int bound,
            int[] fix) {
        int count = 0;
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (int i = 0; i < bound; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, xs, i);
            DoubleVector hi = x.mul(x);
            if (!hi.compare(VectorOperators.LE, GELU_REGULAR).allTrue()) {
                fix[count++] = i;
            }
            DoubleVector lo = x.fma(x, hi.neg());
            DoubleVector g = DoubleVector.fromArray(S, gs, i);
            DoubleVector u = x.mul(INV_SQRT_2);
            DoubleVector a = u.abs();
            VectorMask<Double> small = a.compare(VectorOperators.LT, Erf.SMALL_LIMIT);
            DoubleVector cdf = DoubleVector.zero(S);
            if (!small.allTrue()) {
                DoubleVector half = g.mul(0.5).mul(DoubleVector.fromArray(S, cs, i));
                cdf = one.sub(half).blend(half, x.compare(VectorOperators.LT, 0.0));
            }
            if (small.anyTrue()) {
                cdf = cdf.blend(DoubleVector.fromArray(S, ss, i).fma(0.5, 0.5), small);
            }
            DoubleVector pdf = g.mul(INV_SQRT_2PI);
            if (v != null) {
                x.mul(cdf).intoArray(v, i);
            }
            if (d1 != null) {
                x.fma(pdf, cdf).intoArray(d1, i);
            }
            if (d2 != null) {
                pdf.mul(DoubleVector.broadcast(S, 2.0).sub(hi).sub(lo)).intoArray(d2, i);
            }
        }
        return count;
    }

    private static int erf(double[] xs, double[] gs, double[] cs, double[] ss, double[] v, double[] d1, double[] d2, int bound,
            int[] fix) {
        int count = 0;
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (int i = 0; i < bound; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, xs, i);
            DoubleVector hi = x.mul(x);
            if (!hi.compare(VectorOperators.LE, ERF_REGULAR).allTrue()) {
                fix[count++] = i;
            }
            DoubleVector g = DoubleVector.fromArray(S, gs, i);
            DoubleVector a = x.abs();
            VectorMask<Double> small = a.compare(VectorOperators.LT, Erf.SMALL_LIMIT);
            DoubleVector value = DoubleVector.zero(S);
            if (!small.allTrue()) {
                DoubleVector w = one.sub(g.mul(DoubleVector.fromArray(S, cs, i)));
                value = w.blend(w.neg(), x.compare(VectorOperators.LT, 0.0));
            }
            if (small.anyTrue()) {
                value = value.blend(DoubleVector.fromArray(S, ss, i), small);
            }
            DoubleVector first = g.mul(TWO_OVER_SQRT_PI);
            if (v != null) {
                value.intoArray(v, i);
            }
            if (d1 != null) {
                first.intoArray(d1, i);
            }
            if (d2 != null) {
                x.mul(-2.0).mul(first).intoArray(d2, i);
            }
        }
        return count;
    }

    private static int identity(double[] xs, double[] v, double[] d1, double[] d2, int bound) {
        for (int i = 0; i < bound; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, xs, i);
            if (v != null) {
                x.intoArray(v, i);
            }
            if (d1 != null) {
                DoubleVector.broadcast(S, 1.0).intoArray(d1, i);
            }
            if (d2 != null) {
                DoubleVector.zero(S).intoArray(d2, i);
            }
        }
        return 0;
    }

    private static int relu(double[] xs, double[] v, double[] d1, double[] d2, int bound) {
        for (int i = 0; i < bound; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, xs, i);
            if (v != null) {
                x.max(0.0).intoArray(v, i);
            }
            if (d1 != null) {
                DoubleVector.zero(S).blend(1.0, x.compare(VectorOperators.GT, 0.0)).intoArray(d1, i);
            }
            if (d2 != null) {
                DoubleVector.zero(S).intoArray(d2, i);
            }
        }
        return 0;
    }

    /*
     * The polynomials are evaluated by Horner loops written out in each loop body, never by a
     * helper that takes or returns a DoubleVector: once such a helper has been compiled on its
     * own (its coefficient loop makes it hot early), C2 declines to inline it into a loop compiled
     * later ("already compiled into a big method") and every vector crossing the call is boxed,
     * 14 bytes allocated per element (VectorLoopsAllocationTest).
     */

    /**
     * s[i] := erf(x[i] scale) where |x[i] scale| is below Erf.SMALL_LIMIT (else unspecified), as
     * Erf.small; returns s.
     */
    private static double[] smallErf(double[] xs, double scale, double[] s, int bound) {
        for (int i = 0; i < bound; i += L) {
            DoubleVector u = DoubleVector.fromArray(S, xs, i).mul(scale);
            if (u.abs().compare(VectorOperators.LT, Erf.SMALL_LIMIT).anyTrue()) {
                DoubleVector t = u.mul(u).sub(Erf.SMALL_CENTER).mul(Erf.SMALL_INV_HALF_WIDTH);
                DoubleVector p = DoubleVector.broadcast(S, Erf.SMALL[Erf.SMALL.length - 1]);
                for (int j = Erf.SMALL.length - 2; j >= 0; j--) {
                    p = p.fma(t, DoubleVector.broadcast(S, Erf.SMALL[j]));
                }
                u.mul(p).intoArray(s, i);
            }
        }
        return s;
    }

    private static boolean fits(int whole, double[]... arrays) {
        for (double[] a : arrays) {
            if (a != null && a.length < whole) {
                return false;
            }
        }
        return true;
    }
}
