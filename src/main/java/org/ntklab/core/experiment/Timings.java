package org.ntklab.core.experiment;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Seconds an experiment spent in each {@link Phase}, and in each Hessian probe.
 *
 * @param phases        exclusive seconds per phase (a phase that never ran is absent); they sum to the
 *                      run's duration up to the clock's own overhead
 * @param hessianProbes one entry per Lanczos run, in order; their seconds sum to the {@link Phase#HESSIAN} phase
 */
public record Timings(Map<Phase, Double> phases, List<ProbeTime> hessianProbes) {

    /**
     * One probe's Lanczos run.
     *
     * @param step    the training step at which ||H|| was measured (0 at w_0)
     * @param index   the probe's training input i
     * @param output  the probe's output index k
     * @param seconds wall time of the run (its HVPs, reorthogonalisation and Ritz residuals)
     */
    public record ProbeTime(int step, int index, int output, double seconds) {
    }

    public Timings {
        EnumMap<Phase, Double> copy = new EnumMap<>(Phase.class);
        copy.putAll(phases);
        phases = Collections.unmodifiableMap(copy);
        hessianProbes = List.copyOf(hessianProbes);
    }

    /** The sum of the phases' seconds. */
    public double total() {
        return phases.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Seconds in {@code phase}, 0 when it did not run. */
    public double seconds(Phase phase) {
        return phases.getOrDefault(phase, 0.0);
    }
}
