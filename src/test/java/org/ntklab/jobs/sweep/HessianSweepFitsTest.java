package org.ntklab.jobs.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.ntklab.core.experiment.BlockNorm;
import org.ntklab.core.experiment.HessianProbeResult;
import org.ntklab.core.experiment.HessianSummary;
import org.ntklab.core.spectral.Reorthogonalization;
import org.ntklab.core.spectral.TraceEstimate;
import org.ntklab.jobs.JobStatus;

/** Fits of every block norm and of the trace against width, from planted power laws. */
class HessianSweepFitsTest {

    /** A least-squares line through exact power-law points: float64 rounding of a few logarithms. */
    private static final double EXACT = 1e-12;

    private static SweepReport.Row row(int index, int m, long seed, Map<String, Double> blocks, Double trace) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("network.hiddenWidths", List.of(m, m));
        overrides.put("seed", seed);
        return new SweepReport.Row(index, UUID.randomUUID(), JobStatus.SUCCEEDED, overrides, m, seed, 0.1, 1.0, null,
                1.0, 0.1, 1.0, 0.01, 0.5, blocks, trace);
    }

    @Test
    void everyBlockAndTheTraceGetTheirSlope() {
        List<SweepReport.Row> rows = new ArrayList<>();
        int i = 0;
        for (int m : new int[] {100, 400, 1600}) {
            for (long seed : new long[] {1, 2}) {
                Map<String, Double> blocks = new LinkedHashMap<>();
                blocks.put("1,1", 2 / Math.sqrt(m));
                blocks.put("1,2", 0.3);
                blocks.put("3,3", 0.0); // exactly zero: no logarithm, no fit
                rows.add(row(i++, m, seed, blocks, -5 * Math.pow(m, -0.25)));
            }
        }
        List<SweepReport.Fit> fits = SweepService.fits(rows, null);
        assertThat(fits).hasSize(1);
        SweepReport.Fit fit = fits.get(0);
        assertThat(fit.blockNorms().keySet()).containsExactly("1,1", "1,2", "3,3");
        assertThat(fit.blockNorms().get("1,1").slope()).isCloseTo(-0.5, within(EXACT));
        assertThat(fit.blockNorms().get("1,2").slope()).isCloseTo(0.0, within(EXACT));
        assertThat(fit.blockNorms().get("3,3")).isNull();
        assertThat(fit.trace().slope()).isCloseTo(-0.25, within(EXACT)); // of |tr H|
    }

    @Test
    void withoutBlocksThereAreNoBlockFits() {
        List<SweepReport.Row> rows = List.of(row(0, 100, 1, null, null), row(1, 200, 1, null, null));
        SweepReport.Fit fit = SweepService.fits(rows, null).get(0);
        assertThat(fit.blockNorms()).isNull();
        assertThat(fit.trace()).isNull();
    }

    @Test
    void aRowTakesTheMeanOverProbesOfEachBlockAndOfTheTrace() {
        HessianSummary h = new HessianSummary(5, 5, List.of(probe(0, 1.0, 3.0, 10.0), probe(1, 3.0, 5.0, 20.0)));
        assertThat(SweepService.blockNorms(h)).containsExactly(Map.entry("1,1", 2.0), Map.entry("1,2", 4.0));
        assertThat(SweepService.trace(h)).isEqualTo(15.0);
        assertThat(SweepService.blockNorms(new HessianSummary(1, 1, List.of(new HessianProbeResult(0, 0, 1, 1, -1, 0, 1, true,
                Reorthogonalization.FULL, null, null, null))))).isNull();
    }

    private static HessianProbeResult probe(int index, double b11, double b12, double trace) {
        return new HessianProbeResult(index, 0, 5, 5, -5, 0, 3, true, Reorthogonalization.FULL,
                List.of(new BlockNorm(List.of(1, 1), b11, 2, true), new BlockNorm(List.of(1, 2), b12, 3, true)),
                new TraceEstimate(trace, 0.1, 10), null);
    }
}
