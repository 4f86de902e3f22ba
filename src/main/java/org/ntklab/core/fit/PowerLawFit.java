package org.ntklab.core.fit;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A scaling exponent (SCIENCE.md, "Scaling exponents"): the least-squares fit of
 * log y = a + s log x over points (x_i, y_i), with a 95% confidence interval for s.
 * <pre>
 *   s = S_xy / S_xx,  a = mean(log y) - s mean(log x),
 *   SE(s) = sqrt( (sum r_i^2 / (k - 2)) / S_xx ),  s +- t_{0.975, k-2} SE(s)
 * </pre>
 * over the k points with x, y &gt; 0 (a y of exactly 0, such as dK of a linear model, has no
 * logarithm and is left out; {@link #excluded()} counts them). The interval needs k &gt;= 3 and two
 * distinct x; otherwise it is null.
 *
 * @param slope        s
 * @param intercept    a
 * @param slopeLower   lower end of the 95% interval, or null
 * @param slopeUpper   upper end, or null
 * @param standardError SE(s), or null
 * @param points       the points used, with fitted values and residuals in log space
 * @param excluded     points left out because x or y was not positive (or not finite)
 */
public record PowerLawFit(double slope, double intercept, Double slopeLower, Double slopeUpper, Double standardError,
        List<Point> points, int excluded) {

    /** A point of the fit: the data, their logarithms, the fitted log y and the residual log y - fitted. */
    public record Point(double x, double y, double logX, double logY, double fitted, double residual) {
    }

    public PowerLawFit {
        points = List.copyOf(points);
    }

    /**
     * Fits log y against log x.
     *
     * @throws IllegalArgumentException when fewer than two usable points or fewer than two distinct x remain
     */
    public static PowerLawFit of(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " and " + y.length);
        }
        List<double[]> used = new ArrayList<>();
        int excluded = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] > 0 && y[i] > 0 && Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                used.add(new double[] {x[i], y[i], Math.log(x[i]), Math.log(y[i])});
            } else {
                excluded++;
            }
        }
        int k = used.size();
        if (k < 2) {
            throw new IllegalArgumentException("a power law needs at least two points with positive x and y, got " + k);
        }
        double mx = 0;
        double my = 0;
        for (double[] p : used) {
            mx += p[2] / k;
            my += p[3] / k;
        }
        double sxx = 0;
        double sxy = 0;
        for (double[] p : used) {
            sxx += (p[2] - mx) * (p[2] - mx);
            sxy += (p[2] - mx) * (p[3] - my);
        }
        if (sxx == 0) {
            throw new IllegalArgumentException("a power law needs at least two distinct x values");
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double sse = 0;
        List<Point> points = new ArrayList<>();
        for (double[] p : used) {
            double fitted = intercept + slope * p[2];
            double r = p[3] - fitted;
            sse += r * r;
            points.add(new Point(p[0], p[1], p[2], p[3], fitted, r));
        }
        Double se = null;
        Double lower = null;
        Double upper = null;
        if (k >= 3) {
            se = Math.sqrt(sse / (k - 2) / sxx);
            double t = new TDistribution(null, k - 2).inverseCumulativeProbability(0.975);
            lower = slope - t * se;
            upper = slope + t * se;
        }
        return new PowerLawFit(slope, intercept, lower, upper, se, points, excluded);
    }
}
