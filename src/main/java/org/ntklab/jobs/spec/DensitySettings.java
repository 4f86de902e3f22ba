package org.ntklab.jobs.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.ntklab.core.experiment.DensitySpec;

/**
 * {@code measurements.hessianDensity}: the spectral density of each probe's Hessian by stochastic
 * Lanczos quadrature (SCIENCE.md, "Hessian structure").
 *
 * @param runs       R Rademacher starts, in [1, {@value #MAX_RUNS}]; default {@value #DEFAULT_RUNS}
 * @param steps      q Lanczos steps per run (full reorthogonalisation), in [1, the Lanczos iteration
 *                   limit]; default {@value #DEFAULT_STEPS}
 * @param gridPoints G points of the smoothed density, in [2, {@value #MAX_GRID_POINTS}]; default
 *                   {@value #DEFAULT_GRID_POINTS}
 * @param sigma      the Gaussian width s &gt; 0; null (the default) for (max - min node) / 100, or 1e-3
 *                   when all nodes coincide
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DensitySettings(Integer runs, Integer steps, Integer gridPoints, Double sigma) {

    public static final int DEFAULT_RUNS = 4;
    public static final int DEFAULT_STEPS = 60;
    public static final int DEFAULT_GRID_POINTS = 200;
    public static final int MAX_RUNS = 100;
    public static final int MAX_GRID_POINTS = 10_000;

    public DensitySettings withDefaults() {
        return new DensitySettings(runs == null ? DEFAULT_RUNS : runs, steps == null ? DEFAULT_STEPS : steps,
                gridPoints == null ? DEFAULT_GRID_POINTS : gridPoints, sigma);
    }

    void validate(Limits limits, List<Violation> violations) {
        String field = "measurements.hessianDensity.";
        if (runs < 1 || runs > MAX_RUNS) {
            violations.add(new Violation(field + "runs", "must be in [1, " + MAX_RUNS + "], got " + runs));
        }
        if (steps < 1 || steps > limits.maxLanczosIterations()) {
            violations.add(new Violation(field + "steps", "must be in [1, " + limits.maxLanczosIterations()
                    + "], got " + steps, steps < 1 ? null : Limits.LANCZOS_ITERATIONS));
        }
        if (gridPoints < 2 || gridPoints > MAX_GRID_POINTS) {
            violations.add(new Violation(field + "gridPoints", "must be in [2, " + MAX_GRID_POINTS + "], got "
                    + gridPoints));
        }
        if (sigma != null && !(sigma > 0 && Double.isFinite(sigma))) {
            violations.add(new Violation(field + "sigma", "must be positive and finite or null, got " + sigma));
        }
    }

    /** The core settings of defaulted, valid settings. */
    public DensitySpec toCore() {
        return new DensitySpec(runs, steps, gridPoints, sigma);
    }
}
