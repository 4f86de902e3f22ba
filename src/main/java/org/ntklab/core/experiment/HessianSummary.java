package org.ntklab.core.experiment;

import java.util.List;

/** ||H|| over the probes: the maximum and the mean of the probes' norms, and each probe. */
public record HessianSummary(double max, double mean, List<HessianProbeResult> probes) {

    public HessianSummary {
        probes = List.copyOf(probes);
    }

    static HessianSummary of(List<HessianProbeResult> probes) {
        double max = 0.0;
        double sum = 0.0;
        for (HessianProbeResult p : probes) {
            max = Math.max(max, p.norm());
            sum += p.norm();
        }
        return new HessianSummary(max, probes.isEmpty() ? 0.0 : sum / probes.size(), probes);
    }
}
