package org.ntklab.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntklab.core.nn.Activation;

/** The Gaussian expectations: closed forms against quadrature, quadrature against a trapezoid reference. */
class GaussianQuadratureTest {

    /** SCIENCE.md's accuracy of every expectation, relative to its Cauchy-Schwarz scale. */
    private static final double ACCURACY = 1e-10;
    /**
     * Covariances (a, b, c): unit and large variances (5, 20: where fixed-order Gauss-Hermite
     * fails), correlations 0, +-0.5, 0.999 and 1 - 1e-12 (nearly the diagonal: relu's kink is then
     * a step of width 1e-6 in the outer integral), exactly 1, and a zero input.
     */
    private static final double[][] COVARIANCES = {
        {1, 1, 0}, {1, 1, 0.5}, {1, 1, -0.5}, {1, 1, 0.999}, {2, 0.5, 1.0}, {5, 5, 3}, {5, 0.3, -0.9},
        {20, 20, 15}, {20, 1, 4}, {0.01, 3, 0.1}, {1, 1, 1 - 1e-12}, {1, 1, 1}, {5, 5, 5}, {0, 2, 0},
    };

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"IDENTITY", "RELU", "ERF"})
    void closedFormsAgreeWithQuadrature(Activation sigma) {
        for (double[] abc : COVARIANCES) {
            double[] ea = GaussianExpectation.closedForm(sigma, abc[0], abc[0], abc[0]);
            double[] eb = GaussianExpectation.closedForm(sigma, abc[1], abc[1], abc[1]);
            double[] exact = GaussianExpectation.closedForm(sigma, abc[0], abc[1], abc[2]);
            double valueScale = Math.sqrt(ea[0] * eb[0]);
            double derivativeScale = Math.sqrt(ea[1] * eb[1]);
            GaussianQuadrature.Expectations q = GaussianExpectation.QUADRATURE.of(sigma, abc[0], abc[1], abc[2],
                    valueScale, derivativeScale);
            assertTrue(q.converged(), sigma + " " + java.util.Arrays.toString(abc));
            String at = sigma + " at " + java.util.Arrays.toString(abc);
            assertEquals(exact[0], q.valueProduct(), ACCURACY * Math.max(valueScale, Double.MIN_NORMAL), at);
            assertEquals(exact[1], q.derivativeProduct(), ACCURACY * derivativeScale, at);
        }
    }

    /** relu's diagonal: E relu(u)^2 = a / 2 and E relu'(u)^2 = 1 / 2 exactly (the atan2 angle is exactly 0). */
    @Test
    void reluDiagonalIsExact() {
        for (double a : new double[] {0.3, 1, 7.5}) {
            double[] e = GaussianExpectation.closedForm(Activation.RELU, a, a, a);
            assertEquals(a / 2, e[0], Math.ulp(a));
            assertEquals(0.5, e[1], 0.0);
        }
    }

    /**
     * tanh at variance 5 and 20 against an independent reference: the 2-D trapezoid rule in
     * (z1, z2) with step 0.01 on [-10, 10]^2 (4 10^6 nodes), whose error for an integrand analytic
     * in a strip of half-width 0.35 (tanh's poles at pi / (2 sqrt 20)) is about e^(-2 pi 0.35 / 0.01):
     * far below 1e-12.
     */
    @Test
    void tanhAtLargeVarianceMatchesTrapezoidReference() {
        for (double[] abc : new double[][] {{5, 5, 3}, {5, 5, -4.5}, {20, 5, 7}}) {
            double[] reference = trapezoid(abc[0], abc[1], abc[2], 0.01);
            double[] ea = trapezoid(abc[0], abc[0], abc[0], 0.01);
            double[] eb = trapezoid(abc[1], abc[1], abc[1], 0.01);
            double valueScale = Math.sqrt(ea[0] * eb[0]);
            double derivativeScale = Math.sqrt(ea[1] * eb[1]);
            GaussianQuadrature.Expectations q = GaussianExpectation.CLOSED_FORM_WHERE_KNOWN.of(Activation.TANH,
                    abc[0], abc[1], abc[2], valueScale, derivativeScale);
            assertTrue(q.converged());
            assertEquals(reference[0], q.valueProduct(), ACCURACY * valueScale, java.util.Arrays.toString(abc));
            assertEquals(reference[1], q.derivativeProduct(), ACCURACY * derivativeScale,
                    java.util.Arrays.toString(abc));
        }
    }

    /** Every activation converges at every covariance, symmetric in (u, v). */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void everyActivationConverges(Activation sigma) {
        for (double[] abc : COVARIANCES) {
            GaussianQuadrature.Expectations uv = GaussianQuadrature.expectations(sigma, abc[0], abc[1], abc[2],
                    1e-11, 1e-11);
            GaussianQuadrature.Expectations vu = GaussianQuadrature.expectations(sigma, abc[1], abc[0], abc[2],
                    1e-11, 1e-11);
            assertTrue(uv.converged() && vu.converged(), sigma + " " + java.util.Arrays.toString(abc));
            assertEquals(uv.valueProduct(), vu.valueProduct(), 1e-10 * Math.max(1, Math.abs(uv.valueProduct())));
            assertEquals(uv.derivativeProduct(), vu.derivativeProduct(), 1e-10);
        }
    }

    /**
     * The quadrature's own GELU and ERF (its erf) against the engine's (ND4J's erf), over the range
     * the quadrature reaches: the same functions to rounding (1e-14 of max(1, |x|)).
     */
    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"GELU", "ERF"})
    void theQuadraturesErfActivationsAreTheEngines(Activation sigma) {
        double[] x = new double[4001];
        for (int i = 0; i < x.length; i++) {
            x[i] = -40 + 80.0 * i / (x.length - 1);
        }
        double[] ours = GaussianQuadrature.values(sigma, x);
        double[] value = new double[x.length];
        double[] d1 = new double[x.length];
        sigma.evaluate(x, value, d1, new double[x.length]);
        for (int i = 0; i < x.length; i++) {
            assertEquals(value[i], ours[i], 1e-14 * Math.max(1, Math.abs(x[i])), sigma + "(" + x[i] + ")");
            assertEquals(d1[i], ours[x.length + i], 1e-14, sigma + "'(" + x[i] + ")");
        }
        assertEquals(0.0, GaussianQuadrature.erf(0.0), 0.0);
        assertEquals(0.8427007929497149, GaussianQuadrature.erf(1.0), 2e-16); // erf(1), 16 digits
        assertEquals(-0.9999779095030014, GaussianQuadrature.erf(-3.0), 2e-16); // erf(-3)
    }

    /** The k-point rule integrates x^(2k-1) and x^(2k-2) exactly on [-1, 1]. */
    @Test
    void gaussLegendreIsExactForItsDegree() {
        double[][] rule = GaussianQuadrature.gaussLegendre(GaussianQuadrature.ORDER);
        int top = 2 * GaussianQuadrature.ORDER - 2;
        double even = 0;
        double odd = 0;
        for (int q = 0; q < rule[0].length; q++) {
            even += rule[1][q] * Math.pow(rule[0][q], top);
            odd += rule[1][q] * Math.pow(rule[0][q], top + 1);
        }
        assertEquals(2.0 / (top + 1), even, 1e-14);
        assertEquals(0.0, odd, 1e-14);
    }

    /** {E tanh(u) tanh(v), E tanh'(u) tanh'(v)} by the trapezoid rule in standard-normal coordinates. */
    private static double[] trapezoid(double a, double b, double c, double h) {
        double sa = Math.sqrt(a);
        double beta = c / sa;
        double tau = Math.sqrt(Math.max(0, b - beta * beta));
        int k = (int) Math.round(10 / h);
        double[] z = new double[2 * k + 1];
        double[] w = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = (i - k) * h;
            w[i] = h * Math.exp(-0.5 * z[i] * z[i]) / Math.sqrt(2 * Math.PI);
        }
        double value = 0;
        double derivative = 0;
        for (int i = 0; i < z.length; i++) {
            double tu = Math.tanh(sa * z[i]);
            double sv = 0;
            double sd = 0;
            if (tau == 0) {
                double tv = Math.tanh(beta * z[i]);
                sv = tv;
                sd = 1 - tv * tv;
            } else {
                for (int j = 0; j < z.length; j++) {
                    double tv = Math.tanh(beta * z[i] + tau * z[j]);
                    sv += w[j] * tv;
                    sd += w[j] * (1 - tv * tv);
                }
            }
            value += w[i] * tu * sv;
            derivative += w[i] * (1 - tu * tu) * sd;
        }
        return new double[] {value, derivative};
    }
}
