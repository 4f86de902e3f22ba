package org.ntklab.core.nn;

/**
 * The activations as scalar loops: the formulas of both paths, each accurate to a few ulp over
 * all doubles (ActivationAccuracyTest measures them against 40-digit values).
 * <pre>
 *   tanh      |x| &lt; 0.55: t = x - x y S / q, y = x^2 (the [9/8] Pade approximant, Activation);
 *             else e = e^(-2|x|), t = sign(x) (1 - e) / (1 + e) as a double-double th + tl (the
 *             rounding errors of 1 + e, 1 - e and the quotient recovered by fused multiply-adds);
 *             sigma' = 1 - t^2 (from th + tl, and below 0.55 from t), or 4 e / (1 + e)^2 beyond 15;
 *             sigma'' = -2 t sigma'
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

    static final double TANH_SWITCH = 0.55;
    /** Above it sigma' = 4 e / (1 + e)^2 (1 - t^2 from a double-double t would have lost its digits). */
    static final double TANH_FAR = 15.0;
    static final double TANH_S0 = 1.0 / 3.0;
    static final double TANH_S1 = 1.0 / 45.0;
    static final double TANH_S2 = 2.0 / 6825.0;
    static final double TANH_S3 = 1.0 / 2027025.0;
    static final double TANH_N1 = 7.0 / 15.0;
    static final double TANH_N2 = 1.0 / 39.0;
    static final double TANH_N3 = 2.0 / 6435.0;
    static final double TANH_N4 = 1.0 / 2027025.0;
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
                if (a < TANH_SWITCH) {
                    double y = a * a;
                    double s = Math.fma(Math.fma(Math.fma(TANH_S3, y, TANH_S2), y, TANH_S1), y, TANH_S0);
                    double q = Math.fma(Math.fma(Math.fma(Math.fma(TANH_N4, y, TANH_N3), y, TANH_N2), y, TANH_N1), y,
                            1.0);
                    v = x - x * y * s * (1.0 / q);
                    d1 = Math.fma(-v, v, 1.0);
                    d2 = -2.0 * v * d1;
                } else {
                    double sign = x < 0 ? -1.0 : 1.0;
                    double e = Math.exp(-2.0 * a);
                    double p = 1.0 + e;
                    double m = 1.0 - e;
                    double r = 1.0 / p;
                    if (a < TANH_FAR) { // t = (1 - e) / (1 + e) as a double-double th + tl, sigma' = 1 - t^2 from it
                        double th = m * r;
                        double tl = (Math.fma(-th, p, m) + ((1.0 - m) - e) - th * ((1.0 - p) + e)) * r;
                        double sh = th * th;
                        d1 = (1.0 - sh) - (Math.fma(th, th, -sh) + 2.0 * th * tl);
                        v = sign * (th + tl);
                        d2 = -2.0 * sign * Math.fma(th, d1, tl * d1);
                    } else {
                        v = sign * (m * r);
                        d1 = 4.0 * e * r * r;
                        d2 = -2.0 * v * d1;
                    }
                }
                if (-2.0 * a < TAIL_BELOW) { // t = +-1, r = 1
                    d1 = scaledExp(-2.0 * a, 4.0, 0.0);
                    d2 = scaledExp(-2.0 * a, -8.0 * v, 0.0);
                }
            }
            case SIGMOID, SWISH, SOFTPLUS -> {
                double a = Math.abs(x);
                double e = Math.exp(-a);
                double p = 1.0 + e;
                double r0 = 1.0 / p;
                double r = Math.fma(Math.fma(-r0, p, 1.0) - ((1.0 - p) + e) * r0, r0, r0); // 1 / (1 + e), ~1/2 ulp
                double s = x >= 0 ? r : e * r;
                double sp = e * r * r;
                double m = second ? (x >= 0 ? 1.0 : -1.0) * Math.expm1(-a) * r : 0.0; // 1 - 2s
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
                    v = Math.max(x, 0.0) + Math.log1p(e);
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
        return f * (Math.exp(s) * (1.0 + err)) * UNSHIFT;
    }
}
