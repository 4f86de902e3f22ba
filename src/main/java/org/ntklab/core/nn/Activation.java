package org.ntklab.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Flat;

/**
 * An element-wise function sigma with its first and second derivatives, sigma' and sigma''
 * (SCIENCE.md, "Networks"). The same functions serve as hidden activations and, through
 * {@link OutputMap}, as element-wise output maps phi.
 *
 * <p>Each constant defines {@code sigma, sigma', sigma''} in terms of {@code x} and, where it
 * helps, a precomputed special value ({@code erf}); {@link #evaluate} computes all three in one
 * pass over an array.
 */
public enum Activation {
    /** sigma(x) = x; sigma' = 1; sigma'' = 0. */
    IDENTITY(false) {
        @Override
        void at(double x, double special, double[] out) {
            out[0] = x;
            out[1] = 1.0;
            out[2] = 0.0;
        }
    },
    /** sigma = tanh x; sigma' = 1 - tanh^2 x; sigma'' = -2 tanh x (1 - tanh^2 x). */
    TANH(false) {
        @Override
        void at(double x, double special, double[] out) {
            double t = Math.tanh(x);
            double d = 1.0 - t * t;
            out[0] = t;
            out[1] = d;
            out[2] = -2.0 * t * d;
        }
    },
    /** sigma = s(x) = 1 / (1 + e^-x); sigma' = s (1 - s); sigma'' = s (1 - s)(1 - 2s). */
    SIGMOID(false) {
        @Override
        void at(double x, double special, double[] out) {
            double s = logistic(x);
            double d = s * (1.0 - s);
            out[0] = s;
            out[1] = d;
            out[2] = d * (1.0 - 2.0 * s);
        }
    },
    /** sigma = x s(x); sigma' = s + x s (1 - s); sigma'' = s (1 - s)(2 + x (1 - 2s)). */
    SWISH(false) {
        @Override
        void at(double x, double special, double[] out) {
            double s = logistic(x);
            double d = s * (1.0 - s);
            out[0] = x * s;
            out[1] = s + x * d;
            out[2] = d * (2.0 + x * (1.0 - 2.0 * s));
        }
    },
    /** sigma = log(1 + e^x); sigma' = s(x); sigma'' = s (1 - s). */
    SOFTPLUS(false) {
        @Override
        void at(double x, double special, double[] out) {
            double s = logistic(x);
            out[0] = Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
            out[1] = s;
            out[2] = s * (1.0 - s);
        }
    },
    /**
     * GELU, erf form: sigma = x Phi(x) with Phi(x) = (1 + erf(x / sqrt 2)) / 2 and
     * phi(x) = e^(-x^2/2) / sqrt(2 pi); sigma' = Phi + x phi; sigma'' = phi (2 - x^2).
     */
    GELU(true) {
        @Override
        void at(double x, double erfOfXOverSqrt2, double[] out) {
            double cdf = 0.5 * (1.0 + erfOfXOverSqrt2);
            double pdf = Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
            out[0] = x * cdf;
            out[1] = cdf + x * pdf;
            out[2] = pdf * (2.0 - x * x);
        }

        @Override
        double specialArgumentScale() {
            return INV_SQRT_2;
        }
    },
    /** sigma = erf x; sigma' = (2 / sqrt pi) e^(-x^2); sigma'' = -2 x sigma'. */
    ERF(true) {
        @Override
        void at(double x, double erfOfX, double[] out) {
            double d = TWO_OVER_SQRT_PI * Math.exp(-x * x);
            out[0] = erfOfX;
            out[1] = d;
            out[2] = -2.0 * x * d;
        }

        @Override
        double specialArgumentScale() {
            return 1.0;
        }
    },
    /**
     * sigma = max(x, 0); sigma' = 1 for x > 0, else 0; sigma'' = 0 almost everywhere, so a relu
     * network's Hessian comes only from cross-layer terms.
     */
    RELU(false) {
        @Override
        void at(double x, double special, double[] out) {
            out[0] = Math.max(x, 0.0);
            out[1] = x > 0.0 ? 1.0 : 0.0;
            out[2] = 0.0;
        }
    };

    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private final boolean needsErf;

    Activation(boolean needsErf) {
        this.needsErf = needsErf;
    }

    /** Writes {@code sigma(x), sigma'(x), sigma''(x)} into {@code out[0..2]}. */
    abstract void at(double x, double special, double[] out);

    /** For activations built on erf: the factor c in erf(c x). */
    double specialArgumentScale() {
        throw new IllegalStateException(this + " needs no special function");
    }

    /** Whether sigma'' vanishes identically (or almost everywhere, relu). */
    public boolean hasZeroSecondDerivative() {
        return this == IDENTITY || this == RELU;
    }

    /**
     * Element-wise {@code value = sigma(z)}, {@code d1 = sigma'(z)}, {@code d2 = sigma''(z)}.
     *
     * @param z     pre-activations, any shape, C-contiguous; not modified (unless it is also
     *              passed as one of the outputs, which is allowed)
     * @param value receives sigma(z), same shape and type as z; may be null
     * @param d1    receives sigma'(z); may be null
     * @param d2    receives sigma''(z); may be null
     */
    public void evaluate(INDArray z, INDArray value, INDArray d1, INDArray d2) {
        Flat in = Flat.of(z);
        Flat special = null;
        if (needsErf) {
            INDArray erf = Nd4j.create(z.dataType(), z.shape());
            Nd4j.exec(new Erf(z.mul(specialArgumentScale()), erf));
            special = Flat.of(erf);
        }
        Flat v = value == null ? null : Flat.of(value);
        Flat f1 = d1 == null ? null : Flat.of(d1);
        Flat f2 = d2 == null ? null : Flat.of(d2);
        double[] out = new double[3];
        int n = Math.toIntExact(in.length());
        for (int i = 0; i < n; i++) {
            at(in.get(i), special == null ? 0.0 : special.get(i), out);
            if (v != null) {
                v.set(i, out[0]);
            }
            if (f1 != null) {
                f1.set(i, out[1]);
            }
            if (f2 != null) {
                f2.set(i, out[2]);
            }
        }
    }

    /** sigma(x), sigma'(x) and sigma''(x) of one number, as {@code {value, d1, d2}}. */
    public double[] at(double x) {
        double special = 0.0;
        if (needsErf) {
            INDArray one = Nd4j.scalar(x * specialArgumentScale()).reshape(1);
            INDArray erf = one.dup();
            Nd4j.exec(new Erf(one, erf));
            special = erf.getDouble(0);
        }
        double[] out = new double[3];
        at(x, special, out);
        return out;
    }

    /** The logistic function 1 / (1 + e^-x), evaluated without overflow for either sign of x. */
    static double logistic(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }
}
