package org.ntklab.core.nn;

import org.ntklab.core.array.Exp;

/**
 * The activations as scalar loops: the formulas of both paths, each accurate to a few ulp over
 * all doubles (ActivationAccuracyTest measures them against 40-digit values).
 * <pre>
 *   tanh      |x| &lt; 1: t = x + x u P(u), u = x^2, P of degree 15 ({@link #TANH_SMALL}), and
 *             t + lo = x + x u P exactly (x - t is exact): sigma' = 1 - (t + lo)^2 =
 *             fma(-2t, lo, fma(-t, t, 1)); |x| in [1, 350): e = e^(-2|x|) &lt;= e^-2 from one range
 *             reduction (Exp.powerOfTwo, remainder, {@link #TANH_EXP}), r = 1 / (1 + e) (corrected by
 *             its residual): t = sign(x) (1 - 2 e r), sigma' = 4 e r^2; sigma'' = -2 t sigma'
 *   logistic  e = e^(-|x|), r = 1 / (1 + e) (corrected by its residual): s = r (x &gt;= 0) or e r,
 *             s' = e r^2, 1 - 2s = -sign(x) expm1(-|x|) r  (no cancellation anywhere)
 *   sigmoid   s, s', s' (1 - 2s);  swish x s, s + x s', s' (2 + x (1 - 2s))
 *   softplus  max(x, 0) + log1p(e), s, s'
 *   gelu      Phi = 1/2 + erf(u)/2 or 1 - erfc(u)/2 (x &gt;= 0) or erfc(|u|)/2, u = x / sqrt 2,
 *             phi = e^(-x^2/2) / sqrt(2 pi) from the exact square (Erf): x Phi, Phi + x phi,
 *             phi ((2 - hi) - lo) with x^2 = hi + lo
 *   erf       erf x, (2 / sqrt pi) e^(-x^2), -2 x sigma'
 * </pre>
 * At x = +-inf every output is its limit (gelu 0 or x, swish 0 or x, and their derivatives).
 * Where e^y underflows into the subnormals (y &lt; {@link #TAIL_BELOW}) but a factor f times it does
 * not (swish at x &lt; -700, gelu beyond |x| = 37, the second derivatives of tanh and erf), f e^y is
 * {@link #scaledExp}: e^(y + 128 ln 2) f 2^-128, rounded once into the subnormals.
 */
final class ScalarActivationLoops implements ActivationLoops {

    /**
     * P(u), u = x^2, with tanh x = x + x u P(u) for |x| &lt; 1 (P_0 = -1/3): the interpolant of
     * (tanh(sqrt u) / sqrt u - 1) / u at the 16 Chebyshev points of [0, 1], from 60-digit arithmetic
     * and rounded to double (activations.py --fits prints them); relative error of t below 0.1 ulp.
     */
    static final double[] TANH_SMALL = {-0.3333333333333333, 0.1333333333333309, -0.05396825396804637,
        0.02186948852912909, -0.008863235404578283, 0.003592126679366341, -0.0014558246920964941,
        0.0005899792946300052, -0.00023895705228738225, 9.646277743313181e-05, -3.8389607893147334e-05,
        1.4606131676715378e-05, -4.987760317520347e-06, 1.3791814499083342e-06, -2.6330772232959337e-07,
        2.5155023659382105e-08};
    /**
     * Q(r) with e^r - 1 = r + r^2 Q(r) for |r| &lt;= ln2 / 2 (Q_0 = 1/2), tanh's e^(-2|x|) = s (1 + q)
     * beyond |x| = 1: the interpolant of (e^r - 1 - r) / r^2 at the 11 Chebyshev points of
     * [-0.3466, 0.3466], from 60-digit arithmetic and rounded to double (activations.py --fits);
     * relative error of 1 + q 3.3e-19. Degree 12 in all, where the Taylor polynomial it replaced had 13.
     */
    static final double[] TANH_EXP = {0.5, 0.1666666666666667, 0.04166666666666667, 0.008333333333326136,
        0.001388888888888375, 0.00019841269874815834, 2.480158732554432e-05, 2.7557255406285044e-06,
        2.7557273647451087e-07, 2.5105214474751413e-08, 2.0914685161418067e-09};
    /** Beyond it (|x|) e^(-2|x|) is below TAIL_BELOW: tanh is +-1 and its derivatives are {@link #scaledExp}. */
    static final double TANH_FAR = 350.0;
    static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    /** Below this exponent e^y is within a factor 2^7 of the subnormals: products go through scaledExp. */
    static final double TAIL_BELOW = -700.0;
    /** 128 ln 2 as an unevaluated sum hi + lo (lo ~ 3e-15, so that e^err = 1 + err to 1e-29). */
    static final double SHIFT_HI = 128 * Math.log(2.0);
    static final double SHIFT_LO = new java.math.BigDecimal("0.693147180559945309417232121458176568")
            .multiply(java.math.BigDecimal.valueOf(128)).subtract(new java.math.BigDecimal(SHIFT_HI)).doubleValue();
    static final double UNSHIFT = 0x1p-128;

    @Override
    public void evaluate(Activation sigma, double[] x, double[] v, double[] d1, double[] d2, int len) {
        double[] out = new double[3];
        for (int i = 0; i < len; i++) {
            at(sigma, x[i], d2 != null, out);
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

    @Override
    public void evaluate(Activation sigma, double[] x, int xAt, double[] v, double[] d1, int at, int len) {
        double[] out = new double[3];
        for (int k = 0; k < len; k++) {
            at(sigma, x[xAt + k], false, out);
            v[at + k] = out[0];
            d1[at + k] = out[1];
        }
    }

    /**
     * {@link #TANH_SMALL}'s P(u) by Estrin's scheme: pairs, then quadruples, then the two halves,
     * a chain of 5 dependent operations where Horner's rule has 15.
     */
    static double tanhSmall(double u) {
        double[] c = TANH_SMALL;
        double u2 = u * u;
        double u4 = u2 * u2;
        double q03 = Math.fma(Math.fma(u, c[3], c[2]), u2, Math.fma(u, c[1], c[0]));
        double q47 = Math.fma(Math.fma(u, c[7], c[6]), u2, Math.fma(u, c[5], c[4]));
        double q8b = Math.fma(Math.fma(u, c[11], c[10]), u2, Math.fma(u, c[9], c[8]));
        double qcf = Math.fma(Math.fma(u, c[15], c[14]), u2, Math.fma(u, c[13], c[12]));
        return Math.fma(Math.fma(qcf, u4, q8b), u4 * u4, Math.fma(q47, u4, q03));
    }

    /**
     * e^r - 1 = r + r^2 Q(r) for |r| &lt;= ln2 / 2, {@link #TANH_EXP}'s Q by Estrin's scheme, each
     * operation as VectorActivationLoops' tanhFinish does it.
     */
    static double tanhExpm1(double r) {
        double[] c = TANH_EXP;
        double r2 = r * r;
        double r4 = r2 * r2;
        double q03 = Math.fma(Math.fma(r, c[3], c[2]), r2, Math.fma(r, c[1], c[0]));
        double q47 = Math.fma(Math.fma(r, c[7], c[6]), r2, Math.fma(r, c[5], c[4]));
        double q8a = Math.fma(r2, c[10], Math.fma(r, c[9], c[8]));
        return Math.fma(Math.fma(q8a, r4 * r4, Math.fma(q47, r4, q03)), r2, r);
    }

    /** out := {sigma, sigma', sigma''} at x; sigma'' only when {@code second} (else 0). */
    static void at(Activation sigma, double x, boolean second, double[] out) {
        double v;
        double d1;
        double d2 = 0.0;
        switch (sigma) {
            case IDENTITY -> {
                v = x;
                d1 = 1.0;
            }
            case TANH -> {
                double a = Math.abs(x);
                double u = x * x;
                if (u < 1.0) { // |x| < 1: t = x + x u P(u), t + lo = x + c exactly
                    double c = x * u * tanhSmall(u);
                    v = x + c;
                    double lo = (x - v) + c;
                    d1 = Math.fma(-2.0 * v, lo, Math.fma(-v, v, 1.0)); // 1 - (t + lo)^2
                    d2 = -2.0 * v * d1;
                } else if (!(a >= TANH_FAR)) { // NaN too
                    double y = -2.0 * a;
                    double s = Exp.powerOfTwo(y);
                    double q = tanhExpm1(Exp.remainder(y)); // e^rem - 1
                    double e = Math.fma(s, q, s); // e^(-2|x|), at most e^-2
                    double negDen = -1.0 - e; // -(1 + e)
                    double lo = (1.0 + negDen) + e; // -negDen + lo = 1 + e exactly
                    double r = 1.0 / -negDen;
                    double rp = Math.fma(Math.fma(r, negDen, 1.0) - lo * r, r, r); // 1 / (1 + e), corrected by its residual
                    double g = 2.0 * e * rp;
                    v = Math.copySign(1.0 - g, x); // 1 - 2 e / (1 + e)
                    d1 = (g + g) * rp;
                    d2 = -2.0 * v * d1;
                } else { // t = +-1, e^(-2|x|) subnormal or 0
                    v = Math.copySign(1.0, x);
                    d1 = scaledExp(-2.0 * a, 4.0, 0.0);
                    d2 = scaledExp(-2.0 * a, -8.0 * v, 0.0);
                }
            }
            case SIGMOID, SWISH, SOFTPLUS -> {
                double a = Math.abs(x);
                double e = Exp.exp(-a);
                double p = 1.0 + e;
                double r0 = 1.0 / p;
                double r = Math.fma(Math.fma(-r0, p, 1.0) - ((1.0 - p) + e) * r0, r0, r0); // 1 / (1 + e), ~1/2 ulp
                double s = x >= 0 ? r : e * r;
                double sp = e * r * r;
                double m = second ? (x >= 0 ? 1.0 : -1.0) * Exp.expm1(-a) * r : 0.0; // 1 - 2s
                boolean tail = -a < TAIL_BELOW; // e subnormal: r = 1, s = e or 1, m = -+1
                if (sigma == Activation.SIGMOID) {
                    v = s;
                    d1 = sp;
                    d2 = sp * m;
                } else if (sigma == Activation.SWISH) {
                    v = x * s;
                    d1 = Math.fma(x, sp, s);
                    d2 = sp * Math.fma(x, m, 2.0);
                    if (tail) {
                        if (x < 0) {
                            v = scaledExp(-a, x, 0.0);
                            d1 = scaledExp(-a, 1.0 + x, 0.0);
                        }
                        d2 = second ? scaledExp(-a, 2.0 - a, 0.0) : 0.0;
                    }
                    if (Double.isInfinite(x)) {
                        v = x > 0 ? x : 0.0;
                        d1 = x > 0 ? 1.0 : 0.0;
                        d2 = 0.0;
                    }
                } else {
                    v = Math.max(x, 0.0) + Exp.log1p(e);
                    d1 = s;
                    d2 = sp;
                }
            }
            case GELU -> {
                double g = Erf.gaussian(x, 0.5);
                double u = x * INV_SQRT_2;
                double a = Math.abs(u);
                double cdf;
                if (a < Erf.SMALL_LIMIT) {
                    cdf = Math.fma(0.5, Erf.small(u), 0.5);
                } else {
                    double half = 0.5 * g * Erf.erfcx(a);
                    cdf = x >= 0 ? 1.0 - half : half;
                }
                double pdf = INV_SQRT_2PI * g;
                double hi = x * x;
                double lo = Double.isInfinite(hi) ? 0.0 : Math.fma(x, x, -hi);
                v = x * cdf;
                d1 = Math.fma(x, pdf, cdf);
                d2 = pdf * ((2.0 - hi) - lo);
                if (-0.5 * hi < TAIL_BELOW && !Double.isInfinite(hi)) {
                    double G = Erf.erfcx(a);
                    if (x < 0) {
                        v = scaledExp(-0.5 * hi, 0.5 * x * G, -0.5 * lo);
                        d1 = scaledExp(-0.5 * hi, Math.fma(x, INV_SQRT_2PI, 0.5 * G), -0.5 * lo);
                    }
                    d2 = scaledExp(-0.5 * hi, INV_SQRT_2PI * ((2.0 - hi) - lo), -0.5 * lo);
                }
                if (Double.isInfinite(hi)) { // |x| > 1.3e154: the limits (x Phi -> 0 or x)
                    v = x > 0 ? x : 0.0;
                    d1 = x > 0 ? 1.0 : 0.0;
                    d2 = 0.0;
                }
            }
            case ERF -> {
                double g = Erf.gaussian(x, 1.0);
                double a = Math.abs(x);
                v = a < Erf.SMALL_LIMIT ? Erf.small(x) : Math.copySign(1.0 - g * Erf.erfcx(a), x);
                d1 = TWO_OVER_SQRT_PI * g;
                double hi = x * x;
                d2 = Double.isInfinite(hi) ? 0.0 : -2.0 * x * d1;
                if (-hi < TAIL_BELOW && !Double.isInfinite(hi)) {
                    double lo = Math.fma(x, x, -hi);
                    d1 = scaledExp(-hi, TWO_OVER_SQRT_PI, -lo);
                    d2 = scaledExp(-hi, -2.0 * x * TWO_OVER_SQRT_PI, -lo);
                }
            }
            case RELU -> {
                v = Math.max(x, 0.0);
                d1 = x > 0.0 ? 1.0 : 0.0;
            }
            default -> throw new AssertionError(sigma);
        }
        out[0] = v;
        out[1] = d1;
        out[2] = second ? d2 : 0.0;
    }

    /**
     * f e^y (1 + c) for y &lt; {@link #TAIL_BELOW} (c tiny: the low part of an exact square), with
     * one rounding into the subnormals: e^(y + 128 ln 2) on the argument split exactly (Fast2Sum)
     * as s + err, |err| &lt; 1e-13, as e^s (1 + err), times f, then times 2^-128. Within a few ulp
     * where f e^y is normal too.
     */
    static double scaledExp(double y, double f, double c) {
        y = Math.max(y, -1e4); // e^-1e4 is 0 all the same; keeps y - s finite
        double s = y + SHIFT_HI;
        double err = ((y - s) + SHIFT_HI) + SHIFT_LO + c;
        return f * (Exp.exp(s) * (1.0 + err)) * UNSHIFT;
    }
}
