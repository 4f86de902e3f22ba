package org.ntklab.core.nn;

import static org.ntklab.core.nn.ScalarActivationLoops.INV_SQRT_2;
import static org.ntklab.core.nn.ScalarActivationLoops.INV_SQRT_2PI;
import static org.ntklab.core.nn.ScalarActivationLoops.SHIFT_HI;
import static org.ntklab.core.nn.ScalarActivationLoops.SHIFT_LO;
import static org.ntklab.core.nn.ScalarActivationLoops.TAIL_BELOW;
import static org.ntklab.core.nn.ScalarActivationLoops.UNSHIFT;
import static org.ntklab.core.nn.ScalarActivationLoops.TANH_FAR;
import static org.ntklab.core.nn.ScalarActivationLoops.TANH_N1;
import static org.ntklab.core.nn.ScalarActivationLoops.TANH_N2;
import static org.ntklab.core.nn.ScalarActivationLoops.TANH_N3;
import static org.ntklab.core.nn.ScalarActivationLoops.TANH_N4;
import static org.ntklab.core.nn.ScalarActivationLoops.TANH_S0;
import static org.ntklab.core.nn.ScalarActivationLoops.TANH_S1;
import static org.ntklab.core.nn.ScalarActivationLoops.TANH_S2;
import static org.ntklab.core.nn.ScalarActivationLoops.TANH_S3;
import static org.ntklab.core.nn.ScalarActivationLoops.TANH_SWITCH;
import static org.ntklab.core.nn.ScalarActivationLoops.TWO_OVER_SQRT_PI;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The formulas of {@link ScalarActivationLoops}, lane-wise over the Vector API at the CPU's
 * preferred width; exp, expm1 and log1p are SVML's vectorised routines. Branches become blends:
 * both sides are computed for a vector whose lanes straddle a breakpoint, and a side no lane
 * needs is skipped. Arrays at least as long as len rounded up to whole vectors (the chunk buffers
 * of {@link Activation#evaluate}) are processed in whole vectors, so an element's result does not
 * depend on its position; shorter arrays end with a scalar tail. Loaded only through
 * {@code Simd.load}.
 */
public final class VectorActivationLoops implements ActivationLoops {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final double INF = Double.POSITIVE_INFINITY;

    @Override
    public void evaluate(Activation sigma, double[] x, double[] v, double[] d1, double[] d2, int len) {
        int whole = (len + L - 1) / L * L;
        int bound = fits(whole, x, v, d1, d2) ? whole : S.loopBound(len);
        boolean second = d2 != null;
        for (int i = 0; i < bound; i += L) {
            DoubleVector xi = DoubleVector.fromArray(S, x, i);
            switch (sigma) {
                case IDENTITY -> store(xi, DoubleVector.broadcast(S, 1.0), DoubleVector.zero(S), v, d1, d2, i);
                case TANH -> tanh(xi, v, d1, d2, i);
                case SIGMOID, SWISH, SOFTPLUS -> logistic(sigma, xi, second, v, d1, d2, i);
                case GELU -> gelu(xi, v, d1, d2, i);
                case ERF -> erf(xi, v, d1, d2, i);
                case RELU -> store(xi.max(0.0), DoubleVector.zero(S).blend(1.0, xi.compare(VectorOperators.GT, 0.0)),
                        DoubleVector.zero(S), v, d1, d2, i);
                default -> throw new AssertionError(sigma);
            }
        }
        double[] out = new double[3];
        for (int i = bound; i < len; i++) {
            ScalarActivationLoops.at(sigma, x[i], second, out);
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

    private static void tanh(DoubleVector x, double[] v, double[] d1, double[] d2, int i) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector a = x.abs();
        DoubleVector e = a.mul(-2.0).lanewise(VectorOperators.EXP);
        VectorMask<Double> small = a.compare(VectorOperators.LT, TANH_SWITCH);
        VectorMask<Double> far = a.compare(VectorOperators.GE, TANH_FAR);
        VectorMask<Double> negative = x.compare(VectorOperators.LT, 0.0);
        DoubleVector p = one.add(e);
        DoubleVector m = one.sub(e);
        DoubleVector y = null;
        DoubleVector xys = null;
        DoubleVector den = p;
        if (small.anyTrue()) {
            y = a.mul(a);
            DoubleVector s = y.fma(TANH_S3, TANH_S2).fma(y, bc(TANH_S1)).fma(y, bc(TANH_S0));
            DoubleVector q = y.fma(TANH_N4, TANH_N3).fma(y, bc(TANH_N2)).fma(y, bc(TANH_N1)).fma(y, one);
            xys = x.mul(y).mul(s);
            den = p.blend(q, small);
        }
        DoubleVector r = one.div(den);
        // |x| in [0.55, 15): t = th + tl, sigma' = 1 - t^2, sigma'' = -2 t sigma' (ScalarActivationLoops)
        DoubleVector th = m.mul(r);
        DoubleVector tl = th.neg().fma(p, m).add(one.sub(m).sub(e)).sub(th.mul(one.sub(p).add(e))).mul(r);
        DoubleVector sh = th.mul(th);
        DoubleVector d = one.sub(sh).sub(th.fma(th, sh.neg()).add(th.mul(2.0).mul(tl)));
        DoubleVector t = th.add(tl);
        DoubleVector curvature = d2 == null ? null : th.fma(d, tl.mul(d)).mul(-2.0);
        if (far.anyTrue()) {
            DoubleVector tf = m.mul(r);
            DoubleVector df = e.mul(4.0).mul(r).mul(r);
            t = t.blend(tf, far);
            d = d.blend(df, far);
            curvature = curvature == null ? null : curvature.blend(tf.mul(-2.0).mul(df), far);
        }
        t = t.blend(t.neg(), negative);
        curvature = curvature == null ? null : curvature.blend(curvature.neg(), negative);
        if (xys != null) {
            DoubleVector ts = x.sub(xys.mul(r));
            DoubleVector ds = ts.fma(ts.neg(), one);
            t = t.blend(ts, small);
            d = d.blend(ds, small);
            curvature = curvature == null ? null : curvature.blend(ts.mul(-2.0).mul(ds), small);
        }
        DoubleVector z = a.mul(-2.0);
        VectorMask<Double> tail = z.compare(VectorOperators.LT, TAIL_BELOW);
        if (tail.anyTrue()) {
            DoubleVector zero = DoubleVector.zero(S);
            d = d.blend(scaledExp(z, bc(4.0), zero), tail);
            curvature = curvature == null ? null : curvature.blend(scaledExp(z, t.mul(-8.0), zero), tail);
        }
        store(t, d, curvature, v, d1, d2, i);
    }

    private static void logistic(Activation sigma, DoubleVector x, boolean second, double[] v, double[] d1,
            double[] d2, int i) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector a = x.abs();
        DoubleVector e = a.neg().lanewise(VectorOperators.EXP);
        DoubleVector p = one.add(e);
        DoubleVector r0 = one.div(p);
        DoubleVector r = r0.neg().fma(p, one).sub(one.sub(p).add(e).mul(r0)).fma(r0, r0);
        DoubleVector er = e.mul(r);
        VectorMask<Double> negative = x.compare(VectorOperators.LT, 0.0);
        DoubleVector s = r.blend(er, negative);
        DoubleVector sp = er.mul(r);
        DoubleVector m = null;
        if (second && sigma != Activation.SOFTPLUS) {
            DoubleVector mr = a.neg().lanewise(VectorOperators.EXPM1).mul(r);
            m = mr.blend(mr.neg(), negative);
        }
        switch (sigma) {
            case SIGMOID -> store(s, sp, m == null ? null : sp.mul(m), v, d1, d2, i);
            case SWISH -> {
                DoubleVector value = x.mul(s);
                DoubleVector first = x.fma(sp, s);
                DoubleVector curvature = m == null ? null : sp.mul(x.fma(m, bc(2.0)));
                DoubleVector y = a.neg();
                VectorMask<Double> tail = y.compare(VectorOperators.LT, TAIL_BELOW);
                if (tail.anyTrue()) {
                    DoubleVector zero = DoubleVector.zero(S);
                    VectorMask<Double> left = tail.and(negative);
                    value = value.blend(scaledExp(y, x, zero), left);
                    first = first.blend(scaledExp(y, x.add(1.0), zero), left);
                    curvature = curvature == null ? null
                            : curvature.blend(scaledExp(y, DoubleVector.broadcast(S, 2.0).sub(a), zero), tail);
                }
                VectorMask<Double> infinite = a.compare(VectorOperators.EQ, INF);
                if (infinite.anyTrue()) {
                    DoubleVector step = DoubleVector.zero(S).blend(1.0, x.compare(VectorOperators.GT, 0.0));
                    value = value.blend(x.max(0.0), infinite);
                    first = first.blend(step, infinite);
                    curvature = curvature == null ? null : curvature.blend(0.0, infinite);
                }
                store(value, first, curvature, v, d1, d2, i);
            }
            default -> store(x.max(0.0).add(e.lanewise(VectorOperators.LOG1P)), s, sp, v, d1, d2, i);
        }
    }

    private static void gelu(DoubleVector x, double[] v, double[] d1, double[] d2, int i) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector hi = x.mul(x);
        VectorMask<Double> infinite = hi.compare(VectorOperators.EQ, INF);
        DoubleVector lo = x.fma(x, hi.neg()).blend(0.0, infinite);
        DoubleVector g = hi.mul(-0.5).lanewise(VectorOperators.EXP).mul(one.sub(lo.mul(0.5)));
        DoubleVector u = x.mul(INV_SQRT_2);
        DoubleVector a = u.abs();
        VectorMask<Double> small = a.compare(VectorOperators.LT, Erf.SMALL_LIMIT);
        DoubleVector cdf = DoubleVector.zero(S);
        if (!small.allTrue()) {
            DoubleVector half = g.mul(0.5).mul(erfcx(a, small.not()));
            cdf = one.sub(half).blend(half, x.compare(VectorOperators.LT, 0.0));
        }
        if (small.anyTrue()) {
            cdf = cdf.blend(small(u).fma(0.5, 0.5), small);
        }
        DoubleVector pdf = g.mul(INV_SQRT_2PI);
        DoubleVector value = x.mul(cdf);
        DoubleVector first = x.fma(pdf, cdf);
        DoubleVector curvature = d2 == null ? null : pdf.mul(DoubleVector.broadcast(S, 2.0).sub(hi).sub(lo));
        DoubleVector y = hi.mul(-0.5);
        VectorMask<Double> tail = y.compare(VectorOperators.LT, TAIL_BELOW).andNot(infinite);
        if (tail.anyTrue()) {
            DoubleVector c = lo.mul(-0.5);
            DoubleVector half = erfcx(a, tail).mul(0.5);
            VectorMask<Double> left = tail.and(x.compare(VectorOperators.LT, 0.0));
            value = value.blend(scaledExp(y, x.mul(half), c), left);
            first = first.blend(scaledExp(y, x.fma(bc(INV_SQRT_2PI), half), c), left);
            curvature = curvature == null ? null : curvature.blend(
                    scaledExp(y, DoubleVector.broadcast(S, 2.0).sub(hi).sub(lo).mul(INV_SQRT_2PI), c), tail);
        }
        if (infinite.anyTrue()) { // |x| > 1.3e154: the limits (x Phi -> 0 or x)
            VectorMask<Double> inf = infinite;
            value = value.blend(x.max(0.0), inf);
            first = first.blend(DoubleVector.zero(S).blend(1.0, x.compare(VectorOperators.GT, 0.0)), inf);
            curvature = curvature == null ? null : curvature.blend(0.0, inf);
        }
        store(value, first, curvature, v, d1, d2, i);
    }

    private static void erf(DoubleVector x, double[] v, double[] d1, double[] d2, int i) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector hi = x.mul(x);
        VectorMask<Double> infiniteSquare = hi.compare(VectorOperators.EQ, INF);
        DoubleVector lo = x.fma(x, hi.neg()).blend(0.0, infiniteSquare);
        DoubleVector g = hi.neg().lanewise(VectorOperators.EXP).mul(one.sub(lo));
        DoubleVector a = x.abs();
        VectorMask<Double> small = a.compare(VectorOperators.LT, Erf.SMALL_LIMIT);
        DoubleVector value = DoubleVector.zero(S);
        if (!small.allTrue()) {
            DoubleVector w = one.sub(g.mul(erfcx(a, small.not())));
            value = w.blend(w.neg(), x.compare(VectorOperators.LT, 0.0));
        }
        if (small.anyTrue()) {
            value = value.blend(small(x), small);
        }
        DoubleVector first = g.mul(TWO_OVER_SQRT_PI);
        DoubleVector curvature = d2 == null ? null
                : x.mul(-2.0).mul(first).blend(0.0, infiniteSquare);
        DoubleVector y = hi.neg();
        VectorMask<Double> tail = y.compare(VectorOperators.LT, TAIL_BELOW).andNot(infiniteSquare);
        if (tail.anyTrue()) {
            DoubleVector c = lo.neg();
            first = first.blend(scaledExp(y, bc(TWO_OVER_SQRT_PI), c), tail);
            curvature = curvature == null ? null
                    : curvature.blend(scaledExp(y, x.mul(-2.0).mul(TWO_OVER_SQRT_PI), c), tail);
        }
        store(value, first, curvature, v, d1, d2, i);
    }

    /** erf(u) for |u| below Erf.SMALL_LIMIT (other lanes: meaningless). */
    private static DoubleVector small(DoubleVector u) {
        DoubleVector t = u.mul(u).sub(Erf.SMALL_CENTER).mul(Erf.SMALL_INV_HALF_WIDTH);
        return u.mul(horner(Erf.SMALL, t));
    }

    /** erfcx(a) for the lanes of {@code need} (a &gt;= Erf.SMALL_LIMIT there), as Erf.erfcx. */
    private static DoubleVector erfcx(DoubleVector a, VectorMask<Double> need) {
        VectorMask<Double> near = a.compare(VectorOperators.LT, Erf.NEAR_LIMIT);
        VectorMask<Double> mid = a.compare(VectorOperators.LT, Erf.MID_LIMIT);
        VectorMask<Double> far = a.compare(VectorOperators.LT, Erf.FAR_LIMIT);
        DoubleVector result = DoubleVector.zero(S);
        if (need.and(near).anyTrue()) {
            result = horner(Erf.NEAR, a.sub(Erf.NEAR_CENTER).mul(Erf.NEAR_INV_HALF_WIDTH));
        }
        VectorMask<Double> band = need.and(mid).andNot(near);
        if (band.anyTrue()) {
            result = result.blend(horner(Erf.MID, a.sub(Erf.MID_CENTER).mul(Erf.MID_INV_HALF_WIDTH)), band);
        }
        band = need.and(far).andNot(mid);
        if (band.anyTrue()) {
            result = result.blend(horner(Erf.FAR, a.sub(Erf.FAR_CENTER).mul(Erf.FAR_INV_HALF_WIDTH)), band);
        }
        band = need.andNot(far);
        if (band.anyTrue()) {
            DoubleVector w = DoubleVector.broadcast(S, 1.0).div(a.mul(a));
            DoubleVector tail = horner(Erf.TAIL, w.sub(Erf.TAIL_CENTER).mul(Erf.TAIL_INV_HALF_WIDTH)).div(a);
            result = result.blend(tail, band);
        }
        return result;
    }

    /** f e^y (1 + c) with one rounding into the subnormals, as ScalarActivationLoops.scaledExp. */
    private static DoubleVector scaledExp(DoubleVector y, DoubleVector f, DoubleVector c) {
        y = y.max(-1e4);
        DoubleVector s = y.add(SHIFT_HI);
        DoubleVector err = y.sub(s).add(SHIFT_HI).add(SHIFT_LO).add(c);
        return f.mul(s.lanewise(VectorOperators.EXP).mul(err.add(1.0))).mul(UNSHIFT);
    }

    private static DoubleVector horner(double[] c, DoubleVector t) {
        DoubleVector p = DoubleVector.broadcast(S, c[c.length - 1]);
        for (int j = c.length - 2; j >= 0; j--) {
            p = p.fma(t, DoubleVector.broadcast(S, c[j]));
        }
        return p;
    }

    private static DoubleVector bc(double value) {
        return DoubleVector.broadcast(S, value);
    }

    private static void store(DoubleVector value, DoubleVector first, DoubleVector second, double[] v, double[] d1,
            double[] d2, int i) {
        if (v != null) {
            value.intoArray(v, i);
        }
        if (d1 != null) {
            first.intoArray(d1, i);
        }
        if (d2 != null) {
            second.intoArray(d2, i);
        }
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
