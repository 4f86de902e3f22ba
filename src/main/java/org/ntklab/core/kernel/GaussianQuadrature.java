package org.ntklab.core.kernel;

import java.util.ArrayList;
import java.util.List;
import org.ntklab.core.nn.Activation;

/**
 * E[sigma(u) sigma(v)] and E[sigma'(u) sigma'(v)] for (u, v) ~ N(0, [[a, c], [c, b]]) by
 * adaptive composite Gauss-Legendre quadrature (SCIENCE.md, "Infinite-width tangent kernel").
 *
 * <p>With u = sqrt(a) z1 and v = beta z1 + tau z2, beta = c / sqrt(a), tau = sqrt(b - c^2 / a),
 * z1, z2 independent N(0, 1):
 * <pre>
 *   E[f(u) f(v)] = int phi(z1) f(sqrt(a) z1) ( int phi(z2) f(beta z1 + tau z2) dz2 ) dz1
 * </pre>
 * Both integrals run over [-Z, Z] (Z = {@value #HALF_WIDTH}: the Gaussian tail beyond it is below
 * 1e-21 of the integrand's scale even for activations that grow linearly). Each is split into
 * panels graded geometrically around where its integrand changes fast (z1 = 0 at the scale
 * min(1/sqrt(a), tau/|beta|) of sigma(sqrt(a) z1) and of the inner integral, z2 = -beta z1 / tau
 * at the scale 1/tau), so that a panel's
 * width is at most about its distance to the nearest complex singularity of the integrand (tanh
 * and sigmoid have poles at distance pi/2 and pi from the real axis in u; relu's kink falls on a
 * panel edge). Level k splits every panel into 2^k equal parts; the quadrature is refined level by
 * level until two consecutive levels agree to the requested absolute tolerance for both
 * expectations. Fixed-order Gauss-Hermite is not used: its nodes spread as sqrt(order), so once a
 * variance passes about 3, tanh's transition at z ~ 1/sqrt(a) needs thousands of nodes.
 *
 * <p>The activation is evaluated by {@link Activation#evaluate(double[], double[], double[], double[])}, the
 * engine's own arithmetic, except erf in GELU and ERF ({@link #values}).
 */
public final class GaussianQuadrature {

    /** The integration range in standard-normal units: phi(10) / phi(0) = e^-50. */
    static final double HALF_WIDTH = 10.0;
    /** Gauss-Legendre nodes per panel. */
    static final int ORDER = 10;
    /** The widest panel before refinement. */
    static final double MAX_PANEL = 2.0;
    /** The narrowest feature scale graded towards (each halving adds two panels). */
    static final double MIN_SCALE = 1e-12;
    /** The most refinement levels (level k has 2^k times the panels of level 0). */
    static final int MAX_LEVEL = 6;

    private static final double[][] RULE = gaussLegendre(ORDER);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    private static final double SQRT_PI = Math.sqrt(Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2.0 / SQRT_PI;
    /** erf uses its series below it and the continued fraction of erfc above. */
    private static final double ERF_SWITCH = 3.0;
    /** Levels of erfc's continued fraction. */
    private static final int ERFC_DEPTH = 60;

    private GaussianQuadrature() {
    }

    /**
     * The two expectations with their evidence.
     *
     * @param valueProduct      E[sigma(u) sigma(v)]
     * @param derivativeProduct E[sigma'(u) sigma'(v)]
     * @param valueChange       |difference| of E[sigma sigma] between the last two levels (0 for a closed form)
     * @param derivativeChange  the same for E[sigma' sigma']
     * @param level             the level accepted (0 for a closed form)
     * @param converged         whether the last two levels agreed to the tolerance
     */
    public record Expectations(double valueProduct, double derivativeProduct, double valueChange,
            double derivativeChange, int level, boolean converged) {
    }

    /**
     * The expectations by quadrature, refined until consecutive levels differ by at most
     * {@code valueTolerance} (E[sigma sigma]) and {@code derivativeTolerance} (E[sigma' sigma']),
     * or {@link #MAX_LEVEL} is reached (then {@code converged} is false).
     *
     * @param a Var u &gt;= 0
     * @param b Var v &gt;= 0
     * @param c Cov(u, v), with c^2 &lt;= a b up to rounding
     */
    public static Expectations expectations(Activation sigma, double a, double b, double c, double valueTolerance,
            double derivativeTolerance) {
        if (!(a >= 0 && b >= 0) || !Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("need finite variances a, b >= 0 and a finite covariance, got "
                    + a + ", " + b + ", " + c);
        }
        if (a == 0 && b == 0) {
            double[] at0 = values(sigma, new double[] {0.0});
            return new Expectations(at0[0] * at0[0], at0[1] * at0[1], 0, 0, 0, true);
        }
        if (a == 0) { // u is the constant 0: swap so that the outer variable is random
            double t = a;
            a = b;
            b = t;
        }
        double sa = Math.sqrt(a);
        double beta = c / sa;
        // tau^2 = (ab - c^2) / a, as the closed forms' angle: exactly 0 when c^2 = ab in floating point
        double tau = Math.sqrt(Math.max(0.0, a * b - c * c) / a);
        // sigma(sqrt(a) z1) changes on the scale 1/sqrt(a); the inner integral, sigma smoothed by a
        // Gaussian of width tau, on the scale tau/|beta| where sigma has a kink (relu)
        double outerScale = Math.max(MIN_SCALE, Math.min(1.0, Math.min(1.0 / sa,
                beta == 0 ? 1.0 : (tau > 0 ? Math.min(1.0, tau) : 1.0) / Math.abs(beta))));
        double innerScale = tau == 0 ? 0 : Math.min(1.0, 1.0 / tau);

        double[] previous = null;
        double[] change = {Double.NaN, Double.NaN};
        for (int level = 0; level <= MAX_LEVEL; level++) {
            double[] estimate = estimate(sigma, sa, beta, tau, outerScale, innerScale, level);
            if (previous != null) {
                change[0] = Math.abs(estimate[0] - previous[0]);
                change[1] = Math.abs(estimate[1] - previous[1]);
                if (change[0] <= valueTolerance && change[1] <= derivativeTolerance) {
                    return new Expectations(estimate[0], estimate[1], change[0], change[1], level, true);
                }
            }
            previous = estimate;
        }
        return new Expectations(previous[0], previous[1], change[0], change[1], MAX_LEVEL, false);
    }

    /** {E[sigma(u) sigma(v)], E[sigma'(u) sigma'(v)]} at one refinement level. */
    private static double[] estimate(Activation sigma, double sa, double beta, double tau, double outerScale,
            double innerScale, int level) {
        double[][] outer = nodes(0.0, outerScale, level);
        int n1 = outer[0].length;
        double[] u = new double[n1];
        for (int i = 0; i < n1; i++) {
            u[i] = sa * outer[0][i];
        }
        double[] fu = values(sigma, u);
        double[] inner0 = null;
        double[][][] inner = new double[n1][][];
        int total = 0;
        for (int i = 0; i < n1; i++) {
            if (tau == 0) {
                inner[i] = new double[][] {{0.0}, {1.0}};
            } else {
                inner[i] = nodes(-beta * outer[0][i] / tau, innerScale, level);
            }
            total += inner[i][0].length;
        }
        double[] v = new double[total];
        int at = 0;
        for (int i = 0; i < n1; i++) {
            double shift = beta * outer[0][i];
            for (double z : inner[i][0]) {
                v[at++] = shift + tau * z;
            }
        }
        double[] fv = values(sigma, v);
        double value = 0;
        double derivative = 0;
        at = 0;
        for (int i = 0; i < n1; i++) {
            double sv = 0;
            double sd = 0;
            double[] w = inner[i][1];
            for (int j = 0; j < w.length; j++, at++) {
                sv += w[j] * fv[at];
                sd += w[j] * fv[total + at];
            }
            value += outer[1][i] * fu[i] * sv;
            derivative += outer[1][i] * fu[n1 + i] * sd;
        }
        return new double[] {value, derivative};
    }

    /**
     * Quadrature nodes and weights (weights include the standard normal density) on [-Z, Z] for an
     * integrand that changes fast near {@code feature} at the given scale: panel edges at feature
     * and feature +- scale 2^j, panels wider than {@link #MAX_PANEL} split evenly, then each panel
     * split into 2^level parts with {@link #ORDER} Gauss-Legendre nodes each.
     *
     * @return {nodes, weights}
     */
    static double[][] nodes(double feature, double scale, int level) {
        List<Double> edges = new ArrayList<>();
        edges.add(-HALF_WIDTH);
        if (feature > -HALF_WIDTH && feature < HALF_WIDTH) {
            edges.add(feature);
        }
        for (double step = scale; step < 2 * HALF_WIDTH; step *= 2) {
            for (double edge : new double[] {feature - step, feature + step}) {
                if (edge > -HALF_WIDTH && edge < HALF_WIDTH) {
                    edges.add(edge);
                }
            }
        }
        edges.add(HALF_WIDTH);
        edges.sort(null);
        List<double[]> panels = new ArrayList<>();
        for (int e = 0; e + 1 < edges.size(); e++) {
            double lo = edges.get(e);
            double hi = edges.get(e + 1);
            if (hi <= lo) {
                continue;
            }
            int parts = (int) Math.ceil((hi - lo) / MAX_PANEL) << level;
            double width = (hi - lo) / parts;
            for (int p = 0; p < parts; p++) {
                panels.add(new double[] {lo + p * width, p == parts - 1 ? hi : lo + (p + 1) * width});
            }
        }
        double[] z = new double[panels.size() * ORDER];
        double[] w = new double[z.length];
        int at = 0;
        for (double[] panel : panels) {
            double mid = 0.5 * (panel[0] + panel[1]);
            double half = 0.5 * (panel[1] - panel[0]);
            for (int q = 0; q < ORDER; q++, at++) {
                z[at] = mid + half * RULE[0][q];
                w[at] = half * RULE[1][q] * Math.exp(-0.5 * z[at] * z[at]) * INV_SQRT_2PI;
            }
        }
        return new double[][] {z, w};
    }

    /**
     * sigma and sigma' at x, concatenated: {sigma(x_0..x_k-1), sigma'(x_0..x_k-1)}. GELU and ERF,
     * whose erf goes through ND4J at about a microsecond per value in the engine, are evaluated here
     * with {@link #erf} (GELU: sigma = x Phi(x), sigma' = Phi(x) + x phi(x)); the others with the
     * engine's own arithmetic.
     */
    static double[] values(Activation sigma, double[] x) {
        int k = x.length;
        double[] out = new double[2 * k];
        if (sigma == Activation.ERF) {
            for (int i = 0; i < k; i++) {
                out[i] = erf(x[i]);
                out[k + i] = TWO_OVER_SQRT_PI * Math.exp(-x[i] * x[i]);
            }
            return out;
        }
        if (sigma == Activation.GELU) {
            for (int i = 0; i < k; i++) {
                double cdf = 0.5 * (1.0 + erf(x[i] * INV_SQRT_2));
                out[i] = x[i] * cdf;
                out[k + i] = cdf + x[i] * Math.exp(-0.5 * x[i] * x[i]) * INV_SQRT_2PI;
            }
            return out;
        }
        double[] value = new double[k];
        double[] d1 = new double[k];
        sigma.evaluate(x, value, d1, new double[k]);
        System.arraycopy(value, 0, out, 0, k);
        System.arraycopy(d1, 0, out, k, k);
        return out;
    }

    /**
     * erf x to within a few ulp of 1: for |x| &lt; 3 the series without cancellation
     * erf x = (2 / sqrt pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1 3 5 ... (2n+1)), summed until a term
     * is below 1e-17 of the sum; beyond, 1 - erfc x with Laplace's continued fraction
     * erfc x = e^(-x^2) / sqrt pi / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))), 60 levels deep
     * (for x &gt;= 3 its truncation error is below 1e-17).
     */
    static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < ERF_SWITCH) {
            double x2 = a * a;
            double term = a;
            double sum = a;
            for (int n = 1; term > 1e-17 * sum; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
            }
            r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        } else {
            double f = a;
            for (int k = ERFC_DEPTH; k >= 1; k--) {
                f = a + 0.5 * k / f;
            }
            r = 1.0 - Math.exp(-a * a) / (SQRT_PI * f);
        }
        return Math.copySign(r, x);
    }

    /**
     * The k-point Gauss-Legendre rule on [-1, 1] by Newton's method on P_k (Golub-Welsch is not
     * needed at these orders): {nodes, weights}, weights 2 / ((1 - x^2) P_k'(x)^2).
     */
    static double[][] gaussLegendre(int k) {
        double[] x = new double[k];
        double[] w = new double[k];
        for (int i = 0; i < k; i++) {
            double root = Math.cos(Math.PI * (i + 0.75) / (k + 0.5));
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++) {
                double p0 = 1;
                double p1 = root;
                for (int j = 2; j <= k; j++) {
                    double p2 = ((2 * j - 1) * root * p1 - (j - 1) * p0) / j;
                    p0 = p1;
                    p1 = p2;
                }
                derivative = k * (root * p1 - p0) / (root * root - 1);
                double step = p1 / derivative;
                root -= step;
                if (Math.abs(step) < 1e-16) {
                    break;
                }
            }
            x[i] = root;
            w[i] = 2 / ((1 - root * root) * derivative * derivative);
        }
        return new double[][] {x, w};
    }
}
