package org.ntklab.core.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Flat;
import org.ntklab.core.array.Parallel;

/**
 * An element-wise function sigma with its first and second derivatives, sigma' and sigma''
 * (SCIENCE.md, "Networks"). The same functions serve as hidden activations and, through
 * {@link OutputMap}, as element-wise output maps phi.
 *
 * <p>{@link #evaluate} computes all three in one pass over an array, in chunks copied to the Java
 * heap so that each activation's loop is a tight, monomorphic loop over {@code double[]}; the
 * chunks are spread over ND4J's thread count by {@link Parallel}.
 * tanh is computed from {@link Math#exp} (an intrinsic, about 4x faster here than
 * {@link Math#tanh}) as 1 - 2 / (e^(2|x|) + 1) for |x| &gt;= 0.55, within 2 ulp of the correctly
 * rounded value; below, where that form would cancel and {@link Math#expm1} is a slow software
 * routine, by the [9/8] Pade approximant from Lambert's continued fraction,
 * tanh x = x - x y S(y) / N(y) with y = x^2, S = 1/3 + y/45 + 2y^2/6825 + y^3/2027025 and
 * N = 1 + 7y/15 + y^2/39 + 2y^3/6435 + y^4/2027025: its truncation error is below 1e-19 relative
 * on [0, 0.55] and the correction term is at most a tenth of x, so the result is within 1 ulp.
 */
public enum Activation {
    /** sigma(x) = x; sigma' = 1; sigma'' = 0. */
    IDENTITY(false),
    /** sigma = tanh x; sigma' = 1 - tanh^2 x; sigma'' = -2 tanh x (1 - tanh^2 x). */
    TANH(false),
    /** sigma = s(x) = 1 / (1 + e^-x); sigma' = s (1 - s); sigma'' = s (1 - s)(1 - 2s). */
    SIGMOID(false),
    /** sigma = x s(x); sigma' = s + x s (1 - s); sigma'' = s (1 - s)(2 + x (1 - 2s)). */
    SWISH(false),
    /** sigma = log(1 + e^x); sigma' = s(x); sigma'' = s (1 - s). */
    SOFTPLUS(false),
    /**
     * GELU, erf form: sigma = x Phi(x) with Phi(x) = (1 + erf(x / sqrt 2)) / 2 and
     * phi(x) = e^(-x^2/2) / sqrt(2 pi); sigma' = Phi + x phi; sigma'' = phi (2 - x^2).
     */
    GELU(true),
    /** sigma = erf x; sigma' = (2 / sqrt pi) e^(-x^2); sigma'' = -2 x sigma'. */
    ERF(true),
    /**
     * sigma = max(x, 0); sigma' = 1 for x &gt; 0, else 0; sigma'' = 0 almost everywhere, so a relu
     * network's Hessian comes only from cross-layer terms.
     */
    RELU(false);

    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    /** Below it, tanh uses its Pade approximant (1 - 2/(e+1) would cancel); above, exp. */
    private static final double TANH_SWITCH = 0.55;
    /** Coefficients of the Pade approximant's S(y) and N(y), y = x^2 (class comment). */
    private static final double TANH_S0 = 1.0 / 3.0;
    private static final double TANH_S1 = 1.0 / 45.0;
    private static final double TANH_S2 = 2.0 / 6825.0;
    private static final double TANH_S3 = 1.0 / 2027025.0;
    private static final double TANH_N1 = 7.0 / 15.0;
    private static final double TANH_N2 = 1.0 / 39.0;
    private static final double TANH_N3 = 2.0 / 6435.0;
    private static final double TANH_N4 = 1.0 / 2027025.0;
    /** tanh(x) rounds to 1 for x above it. */
    private static final double TANH_SATURATION = 22.0;
    /** Elements per chunk copied to the heap: five arrays of 4096 doubles (160 KiB) stay in L2. */
    private static final int CHUNK = 4096;
    /** Per-thread chunk buffers: x, erf, sigma, sigma', sigma''. */
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[5][CHUNK]);

    private final boolean needsErf;

    Activation(boolean needsErf) {
        this.needsErf = needsErf;
    }

    /** Whether sigma'' vanishes identically (or almost everywhere, relu). */
    public boolean hasZeroSecondDerivative() {
        return this == IDENTITY || this == RELU;
    }

    /**
     * Element-wise {@code value = sigma(z)}, {@code d1 = sigma'(z)}, {@code d2 = sigma''(z)}.
     *
     * @param z     pre-activations, any shape, C-contiguous, DOUBLE or FLOAT; not modified (unless
     *              it is also passed as one of the outputs, which is allowed)
     * @param value receives sigma(z), same shape and type as z; may be null
     * @param d1    receives sigma'(z); may be null
     * @param d2    receives sigma''(z); may be null
     */
    public void evaluate(INDArray z, INDArray value, INDArray d1, INDArray d2) {
        Flat in = Flat.of(z);
        Flat special = null;
        if (needsErf) {
            INDArray erf = Nd4j.create(z.dataType(), z.shape());
            Nd4j.exec(new Erf(this == GELU ? z.mul(INV_SQRT_2) : z, erf));
            special = Flat.of(erf);
        }
        Flat v = value == null ? null : Flat.of(value);
        Flat f1 = d1 == null ? null : Flat.of(d1);
        Flat f2 = d2 == null ? null : Flat.of(d2);
        Flat erf = special;
        Parallel.forRange(in.length(), (from, to) -> {
            double[][] scratch = SCRATCH.get();
            double[] x = scratch[0];
            double[] s = erf == null ? null : scratch[1];
            for (int at = from; at < to; at += CHUNK) {
                int len = Math.min(CHUNK, to - at);
                in.read(at, x, len);
                if (s != null) {
                    erf.read(at, s, len);
                }
                kernel(x, s, scratch[2], scratch[3], scratch[4], len);
                write(v, at, scratch[2], len);
                write(f1, at, scratch[3], len);
                write(f2, at, scratch[4], len);
            }
        });
    }

    /** sigma(x), sigma'(x) and sigma''(x) of one number, as {@code {value, d1, d2}} (the same arithmetic as {@link #evaluate}). */
    public double[] at(double x) {
        double[] s = null;
        if (needsErf) {
            INDArray one = Nd4j.create(new double[] {this == GELU ? x * INV_SQRT_2 : x}, new long[] {1}, DataType.DOUBLE);
            INDArray erf = one.dup();
            Nd4j.exec(new Erf(one, erf));
            s = new double[] {erf.getDouble(0)};
        }
        double[][] out = {new double[1], new double[1], new double[1]};
        kernel(new double[] {x}, s, out[0], out[1], out[2], 1);
        return new double[] {out[0][0], out[1][0], out[2][0]};
    }

    /**
     * Element-wise sigma, sigma' and sigma'' of a Java array, with the arithmetic of
     * {@link #evaluate(INDArray, INDArray, INDArray, INDArray)} (erf through ND4J for GELU and ERF,
     * once for the whole array): for scalar algorithms such as quadrature, without an ND4J array per
     * function.
     *
     * @param x     not modified
     * @param value receives sigma(x), length at least x.length
     * @param d1    receives sigma'(x)
     * @param d2    receives sigma''(x)
     */
    public void evaluate(double[] x, double[] value, double[] d1, double[] d2) {
        double[] s = null;
        if (needsErf) {
            INDArray in = Nd4j.createFromArray(x);
            if (this == GELU) {
                in.muli(INV_SQRT_2);
            }
            INDArray erf = in.ulike();
            Nd4j.exec(new Erf(in, erf));
            s = erf.toDoubleVector();
            in.close();
            erf.close();
        }
        kernel(x, s, value, d1, d2, x.length);
    }

    /** The three functions on {@code len} elements; {@code erf} holds erf(x) (ERF) or erf(x / sqrt 2) (GELU). */
    private void kernel(double[] x, double[] erf, double[] v, double[] d1, double[] d2, int len) {
        switch (this) {
            case IDENTITY -> {
                System.arraycopy(x, 0, v, 0, len);
                java.util.Arrays.fill(d1, 0, len, 1.0);
                java.util.Arrays.fill(d2, 0, len, 0.0);
            }
            case TANH -> {
                for (int i = 0; i < len; i++) {
                    double t = tanh(x[i]);
                    double d = 1.0 - t * t;
                    v[i] = t;
                    d1[i] = d;
                    d2[i] = -2.0 * t * d;
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < len; i++) {
                    double sg = logistic(x[i]);
                    double d = sg * (1.0 - sg);
                    v[i] = sg;
                    d1[i] = d;
                    d2[i] = d * (1.0 - 2.0 * sg);
                }
            }
            case SWISH -> {
                for (int i = 0; i < len; i++) {
                    double xi = x[i];
                    double sg = logistic(xi);
                    double d = sg * (1.0 - sg);
                    v[i] = xi * sg;
                    d1[i] = sg + xi * d;
                    d2[i] = d * (2.0 + xi * (1.0 - 2.0 * sg));
                }
            }
            case SOFTPLUS -> {
                for (int i = 0; i < len; i++) {
                    double xi = x[i];
                    double sg = logistic(xi);
                    v[i] = Math.max(xi, 0.0) + Math.log1p(Math.exp(-Math.abs(xi)));
                    d1[i] = sg;
                    d2[i] = sg * (1.0 - sg);
                }
            }
            case GELU -> {
                for (int i = 0; i < len; i++) {
                    double xi = x[i];
                    double cdf = 0.5 * (1.0 + erf[i]);
                    double pdf = Math.exp(-0.5 * xi * xi) * INV_SQRT_2PI;
                    v[i] = xi * cdf;
                    d1[i] = cdf + xi * pdf;
                    d2[i] = pdf * (2.0 - xi * xi);
                }
            }
            case ERF -> {
                for (int i = 0; i < len; i++) {
                    double xi = x[i];
                    double d = TWO_OVER_SQRT_PI * Math.exp(-xi * xi);
                    v[i] = erf[i];
                    d1[i] = d;
                    d2[i] = -2.0 * xi * d;
                }
            }
            case RELU -> {
                for (int i = 0; i < len; i++) {
                    double xi = x[i];
                    v[i] = Math.max(xi, 0.0);
                    d1[i] = xi > 0.0 ? 1.0 : 0.0;
                    d2[i] = 0.0;
                }
            }
            default -> throw new AssertionError(this);
        }
    }

    /** tanh x within 2 ulp: a Pade approximant near 0, exp beyond (see the class comment). */
    static double tanh(double x) {
        double a = Math.abs(x);
        double t;
        if (a >= TANH_SATURATION) {
            t = 1.0;
        } else if (a >= TANH_SWITCH) {
            t = 1.0 - 2.0 / (Math.exp(2.0 * a) + 1.0);
        } else {
            double y = a * a;
            double s = TANH_S0 + y * (TANH_S1 + y * (TANH_S2 + y * TANH_S3));
            double q = 1.0 + y * (TANH_N1 + y * (TANH_N2 + y * (TANH_N3 + y * TANH_N4)));
            t = a - a * y * s / q;
        }
        return Math.copySign(t, x);
    }

    /** The logistic function 1 / (1 + e^-x), evaluated without overflow for either sign of x. */
    static double logistic(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    private static void write(Flat to, int offset, double[] from, int len) {
        if (to != null) {
            to.write(offset, from, len);
        }
    }
}
