package org.ntklab.core.experiment;

/**
 * Settings of the spectral density by stochastic Lanczos quadrature
 * ({@link org.ntklab.core.spectral.SpectralDensity}).
 *
 * @param runs       R Rademacher starts, &gt;= 1
 * @param steps      q Lanczos steps per run, &gt;= 1
 * @param gridPoints G points of the smoothed density, &gt;= 2
 * @param sigma      the Gaussian width s &gt; 0, or null for (max - min node) / 100
 */
public record DensitySpec(int runs, int steps, int gridPoints, Double sigma) {
    public DensitySpec {
        if (runs < 1 || steps < 1 || gridPoints < 2) {
            throw new IllegalArgumentException("need runs >= 1, steps >= 1, gridPoints >= 2, got " + runs + ", "
                    + steps + ", " + gridPoints);
        }
        if (sigma != null && !(sigma > 0 && Double.isFinite(sigma))) {
            throw new IllegalArgumentException("sigma must be positive and finite, got " + sigma);
        }
    }
}
