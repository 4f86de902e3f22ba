package org.ntklab.core.kernel;

import org.ntklab.core.nn.Activation;

/**
 * The dual activation of the infinite-width recursion (SCIENCE.md, "Infinite-width tangent
 * kernel"): for (u, v) ~ N(0, [[a, c], [c, b]]), E[sigma(u) sigma(v)] and E[sigma'(u) sigma'(v)],
 * by a closed form where one exists and by {@link GaussianQuadrature} otherwise. Closed forms, with
 * theta = atan2(sqrt(ab - c^2), c) (accurate near theta = 0, unlike arccos(c / sqrt(ab))):
 * <pre>
 *   identity: E[u v] = c,                           E[1] = 1
 *   relu:     (sqrt(ab - c^2) + (pi - theta) c) / (2 pi),   (pi - theta) / (2 pi)      (arc-cosine kernels)
 *   erf:      (2/pi) arcsin(2c / sqrt((1 + 2a)(1 + 2b))),   (4/pi) / sqrt((1 + 2a)(1 + 2b) - 4c^2)
 * </pre>
 * For relu with a = 0 or b = 0 (a zero input) both expectations are 0 (relu(0) = relu'(0) = 0).
 */
public enum GaussianExpectation {
    /** Closed forms for identity, relu and erf; quadrature for the other activations. */
    CLOSED_FORM_WHERE_KNOWN,
    /** Quadrature for every activation (to check the closed forms). */
    QUADRATURE;

    /**
     * The tolerance of the quadrature relative to the Cauchy-Schwarz scale
     * sqrt(E f(u)^2 E f(v)^2) of each expectation: 1e-10 is SCIENCE.md's accuracy, and consecutive
     * levels of an exponentially convergent rule agreeing to a tenth of it leave the finer level
     * well inside it.
     */
    public static final double RELATIVE_TOLERANCE = 1e-11;

    /** Whether sigma has a closed form here. */
    public static boolean hasClosedForm(Activation sigma) {
        return sigma == Activation.IDENTITY || sigma == Activation.RELU || sigma == Activation.ERF;
    }

    /**
     * The expectations for the covariance [[a, c], [c, b]].
     *
     * @param valueScale      sqrt(E sigma(u)^2 E sigma(v)^2), scaling the tolerance of E[sigma sigma]
     * @param derivativeScale sqrt(E sigma'(u)^2 E sigma'(v)^2), scaling that of E[sigma' sigma']
     */
    public GaussianQuadrature.Expectations of(Activation sigma, double a, double b, double c, double valueScale,
            double derivativeScale) {
        if (this == CLOSED_FORM_WHERE_KNOWN && hasClosedForm(sigma)) {
            double[] e = closedForm(sigma, a, b, c);
            return new GaussianQuadrature.Expectations(e[0], e[1], 0, 0, 0, true);
        }
        return GaussianQuadrature.expectations(sigma, a, b, c, RELATIVE_TOLERANCE * valueScale,
                RELATIVE_TOLERANCE * derivativeScale);
    }

    /** {E[sigma(u) sigma(v)], E[sigma'(u) sigma'(v)]} for identity, relu or erf. */
    static double[] closedForm(Activation sigma, double a, double b, double c) {
        switch (sigma) {
            case IDENTITY -> {
                return new double[] {c, 1.0};
            }
            case RELU -> {
                if (a == 0 || b == 0) {
                    return new double[] {0.0, 0.0};
                }
                double s = Math.sqrt(Math.max(0.0, a * b - c * c));
                double theta = Math.atan2(s, c);
                return new double[] {(s + (Math.PI - theta) * c) / (2 * Math.PI), (Math.PI - theta) / (2 * Math.PI)};
            }
            case ERF -> {
                double pa = 1 + 2 * a;
                double pb = 1 + 2 * b;
                double r = Math.max(-1.0, Math.min(1.0, 2 * c / Math.sqrt(pa * pb)));
                return new double[] {2 / Math.PI * Math.asin(r), 4 / Math.PI / Math.sqrt(pa * pb - 4 * c * c)};
            }
            default -> throw new IllegalArgumentException("no closed form for " + sigma);
        }
    }
}
