package org.ntklab.core.spectral;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.rng.SeededRandom;

/**
 * The spectral density of a symmetric operator by stochastic Lanczos quadrature (SCIENCE.md,
 * "Hessian structure", as PyHessian): R runs from Rademacher starts v_r / ||v_r||, q Lanczos
 * steps each with full reorthogonalisation ({@link Lanczos#tridiagonal}); the nodes theta_rj are
 * the Ritz values, the weights tau_rj the squared first components of the Ritz vectors
 * (sum_j tau_rj = 1). The smoothed density on the grid is
 * <pre>
 *   phi(t) = (1/R) sum_r sum_j tau_rj N(t; theta_rj, s^2)
 * </pre>
 * with s given, or (max theta - min theta) / {@value #NODE_SPAN_DIVISOR} over all nodes of all
 * runs, or {@value #FALLBACK_SIGMA} when they all coincide (e.g. A = 0). The grid has G equally
 * spaced points from min theta - {@value #GRID_MARGIN} s to max theta + {@value #GRID_MARGIN} s, so it
 * integrates to 1 up to the Gaussian tails beyond 5 s (6e-7) and the quadrature of the
 * integral. (1/R) sum_rj tau_rj theta_rj^i estimates tr(A^i)/p without bias for i &lt;= 2q - 1.
 * A run stops early at a breakdown, with fewer nodes.
 *
 * @param nodes   theta per run (run r has k_r &lt;= q nodes, ascending)
 * @param weights tau per run, matching {@code nodes}
 * @param grid    the G points t
 * @param values  phi(t) at the grid
 * @param sigma   s
 */
public record SpectralDensity(List<double[]> nodes, List<double[]> weights, double[] grid, double[] values,
        double sigma) {

    /** The automatic s is the node span over this. */
    static final double NODE_SPAN_DIVISOR = 100.0;
    /** s when every node coincides: a documented width, small against an O(1) Hessian, positive for any plot. */
    public static final double FALLBACK_SIGMA = 1e-3;
    /** Grid margin beyond the extreme nodes, in units of s: the tail mass past 5 s is 2.9e-7 per side. */
    static final double GRID_MARGIN = 5.0;

    /** Stream number of the start vectors within the seed. */
    private static final long STREAM = 0x534C5121L; // "SLQ!"

    public SpectralDensity {
        nodes = List.copyOf(nodes);
        weights = List.copyOf(weights);
    }

    /**
     * SLQ of {@code a}.
     *
     * @param runs       R &gt;= 1
     * @param steps      q &gt;= 1 (at most p are taken)
     * @param gridPoints G &gt;= 2
     * @param sigma      s &gt; 0, or null for the automatic width
     * @param seed       seeds the Rademacher starts
     */
    public static SpectralDensity estimate(LinearOperator a, int runs, int steps, int gridPoints, Double sigma,
            long seed) {
        if (runs < 1 || steps < 1 || gridPoints < 2) {
            throw new IllegalArgumentException("need runs >= 1, steps >= 1, gridPoints >= 2, got " + runs + ", "
                    + steps + ", " + gridPoints);
        }
        if (sigma != null && !(sigma > 0 && Double.isFinite(sigma))) {
            throw new IllegalArgumentException("sigma must be positive and finite, got " + sigma);
        }
        int p = Math.toIntExact(a.dimension());
        SeededRandom random = SeededRandom.stream(seed, STREAM);
        double[] start = new double[p];
        List<double[]> nodes = new ArrayList<>();
        List<double[]> weights = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            random.fillRademacher(start, 1.0);
            Lanczos.Tridiagonal t = Lanczos.tridiagonal(a, Nd4j.createFromArray(start), steps);
            SymmetricEigen eig = t.decompose();
            int k = t.size();
            double[] theta = eig.eigenvalues();
            double[] tau = new double[k];
            for (int j = 0; j < k; j++) {
                double first = eig.eigenvectorComponent(j, 0);
                tau[j] = first * first;
            }
            nodes.add(theta);
            weights.add(tau);
        }
        return of(nodes, weights, gridPoints, sigma);
    }

    /** The smoothed density of given nodes and weights (each run's weights summing to 1). */
    public static SpectralDensity of(List<double[]> nodes, List<double[]> weights, int gridPoints, Double sigma) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] theta : nodes) {
            for (double t : theta) {
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
        }
        double s = sigma != null ? sigma : hi > lo ? (hi - lo) / NODE_SPAN_DIVISOR : FALLBACK_SIGMA;
        double[] grid = new double[gridPoints];
        double[] values = new double[gridPoints];
        double from = lo - GRID_MARGIN * s;
        double step = (hi - lo + 2 * GRID_MARGIN * s) / (gridPoints - 1);
        double norm = 1.0 / (nodes.size() * s * Math.sqrt(2 * Math.PI));
        for (int g = 0; g < gridPoints; g++) {
            double t = from + g * step;
            grid[g] = t;
            double sum = 0.0;
            for (int r = 0; r < nodes.size(); r++) {
                double[] theta = nodes.get(r);
                double[] tau = weights.get(r);
                for (int j = 0; j < theta.length; j++) {
                    double z = (t - theta[j]) / s;
                    sum += tau[j] * Math.exp(-0.5 * z * z);
                }
            }
            values[g] = sum * norm;
        }
        return new SpectralDensity(nodes, weights, grid, values, s);
    }

    /** (1/R) sum_r sum_j tau_rj theta_rj^i, the estimate of tr(A^i)/p. */
    public double moment(int i) {
        double sum = 0.0;
        for (int r = 0; r < nodes.size(); r++) {
            double[] theta = nodes.get(r);
            double[] tau = weights.get(r);
            for (int j = 0; j < theta.length; j++) {
                sum += tau[j] * Math.pow(theta[j], i);
            }
        }
        return sum / nodes.size();
    }
}
