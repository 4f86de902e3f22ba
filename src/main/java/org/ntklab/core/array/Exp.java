package org.ntklab.core.array;

/**
 * e^x, e^x - 1 and log(1 + z) from additions, multiplications and fused multiply-adds only, so
 * that {@link VectorExp} evaluates the very same operations lane-wise: the scalar and the vector
 * path give bit-identical results, and so does the Vector API before and after the JIT compiles it
 * (its transcendental operators call Intel SVML once compiled and {@link Math} before, which
 * differ in the last bit and would make a run's numbers depend on JIT timing).
 * <pre>
 *   exp    x = k ln 2 + r, |r| &lt;= ln2 / 2 (k by the 1.5 * 2^52 rounding trick, r by two fused
 *          multiply-adds with ln 2 = LN2_HI + LN2_LO); e^r by its Taylor polynomial of degree 13
 *          (remainder below 5e-18 relative); times 2^(k/2) and 2^(k - k/2), so that a subnormal
 *          result is rounded once. Within 1 ulp.
 *   expm1  |y| &lt; ln 2: y + y^2 (1/2! + y/3! + ... + y^15/17!) (remainder below 3e-19 relative);
 *          else exp(y) - 1 (|result| &gt;= 1/2 there, no cancellation).
 *   log1p  z in [0, 1] (the softplus argument e^-|x|): 2 atanh(w), w = z / (2 + z) in [0, 1/3],
 *          = 2w (1 + w^2/3 + w^4/5 + ... + w^32/33) (remainder below 1e-17 relative).
 *   split  for tanh: y = k ln 2 + r as in exp, as the parts {@link #powerOfTwo} s = 2^k and
 *          {@link #remainder} r (|r| &lt;= ln2 / 2), from which a caller forms e^y = s + s q with
 *          its own polynomial for q = e^r - 1 (tanh's: ScalarActivationLoops.TANH_EXP).
 * </pre>
 */
public final class Exp {

    public static final double INV_LN2 = 1.4426950408889634;
    public static final double LN2_HI = 0.6931471805599453;
    public static final double LN2_LO = 2.3190468138462996e-17;
    /** 1.5 * 2^52: adding it rounds x / ln 2 to an integer held in the low bits. */
    public static final double SHIFTER = 0x1.8p52;
    public static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    /** Arguments are clamped to this range (beyond it e^x is 0 or infinite all the same). */
    static final double LOWEST = -746.0;
    static final double HIGHEST = 710.0;
    static final double LN2 = LN2_HI;
    /** 1/n! for n = 0..13 (exp). */
    static final double[] EXP = inverseFactorials(0, 13);
    /** 1/n! for n = 2..17 (expm1's q(y)). */
    static final double[] EXPM1 = inverseFactorials(2, 17);
    /** 1/(2k+1) for k = 1..16 (log1p's series in w^2). */
    static final double[] ATANH = oddInverses(16);

    private Exp() {
    }

    /** e^x within 1 ulp; 0 below -746, +inf above 710, NaN for NaN. */
    public static double exp(double x) {
        x = Math.min(Math.max(x, LOWEST), HIGHEST);
        double t = Math.fma(x, INV_LN2, SHIFTER);
        double k = t - SHIFTER;
        double r = Math.fma(-k, LN2_HI, x);
        r = Math.fma(-k, LN2_LO, r);
        double p = horner(EXP, r);
        long n = Double.doubleToRawLongBits(t) - SHIFTER_BITS;
        long half = n >> 1;
        return p * Double.longBitsToDouble((half + 1023) << 52) * Double.longBitsToDouble((n - half + 1023) << 52);
    }

    /** e^y - 1 within about 1 ulp. */
    public static double expm1(double y) {
        if (Math.abs(y) < LN2) {
            return Math.fma(y * y, horner(EXPM1, y), y);
        }
        return exp(y) - 1.0;
    }

    /**
     * 2^k for k = round(y / ln 2), the scale of {@link #remainder}; for y in [-1000, 700]
     * (other arguments: unspecified).
     */
    public static double powerOfTwo(double y) {
        double t = Math.fma(y, INV_LN2, SHIFTER);
        return Double.longBitsToDouble((Double.doubleToRawLongBits(t) - SHIFTER_BITS + 1023) << 52);
    }

    /** The remainder r = y - k ln 2 of {@link #powerOfTwo}, |r| &lt;= ln2 / 2 (k ln 2 subtracted in two parts). */
    public static double remainder(double y) {
        double k = Math.fma(y, INV_LN2, SHIFTER) - SHIFTER;
        double r = Math.fma(-k, LN2_HI, y);
        return Math.fma(-k, LN2_LO, r);
    }

    /** log(1 + z) for z in [0, 1] (other arguments: unspecified), within about 1 ulp. */
    public static double log1p(double z) {
        double w = z / (2.0 + z);
        double w2 = w * w;
        double twoW = 2.0 * w;
        return Math.fma(twoW * w2, horner(ATANH, w2), twoW);
    }

    static double horner(double[] c, double t) {
        double p = c[c.length - 1];
        for (int j = c.length - 2; j >= 0; j--) {
            p = Math.fma(p, t, c[j]);
        }
        return p;
    }

    private static double[] inverseFactorials(int from, int to) {
        double[] c = new double[to - from + 1];
        java.math.BigDecimal factorial = java.math.BigDecimal.ONE;
        for (int n = 1; n < from; n++) {
            factorial = factorial.multiply(java.math.BigDecimal.valueOf(n));
        }
        for (int n = from; n <= to; n++) {
            if (n > 0) {
                factorial = factorial.multiply(java.math.BigDecimal.valueOf(n));
            }
            c[n - from] = java.math.BigDecimal.ONE.divide(factorial, java.math.MathContext.DECIMAL128).doubleValue();
        }
        return c;
    }

    private static double[] oddInverses(int count) {
        double[] c = new double[count];
        for (int k = 1; k <= count; k++) {
            c[k - 1] = 1.0 / (2 * k + 1);
        }
        return c;
    }
}
