package org.ntklab.api.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.ntklab.core.experiment.BlockNorm;
import org.ntklab.core.experiment.HessianProbeResult;
import org.ntklab.core.experiment.HessianSummary;
import org.ntklab.core.spectral.KernelSpectrum;
import org.ntklab.core.spectral.Reorthogonalization;
import org.ntklab.core.spectral.SpectralDensity;
import org.ntklab.jobs.ExperimentReport;
import org.ntklab.jobs.JobStatus;
import org.ntklab.jobs.sweep.SweepReport;

class HessianPlotsTest {

    private static HessianProbeResult probe(int index, double scale, SpectralDensity density) {
        return new HessianProbeResult(index, 0, 1, 1, -1, 0, 3, true, Reorthogonalization.FULL, List.of(
                new BlockNorm(List.of(1, 1), scale * 0.5, 2, true), new BlockNorm(List.of(1, 2), scale * 2e-5, 3, true),
                new BlockNorm(List.of(2, 2), 0.0, 1, true)), null, density);
    }

    private static ExperimentReport report(HessianSummary init, HessianSummary end) {
        KernelSpectrum k = KernelSpectrum.of(org.nd4j.linalg.factory.Nd4j.eye(2).castTo(
                org.nd4j.linalg.api.buffer.DataType.DOUBLE));
        return ExperimentReport.of(new org.ntklab.core.experiment.ExperimentResult(0.1, 1, init, end, 1, 0.5, 1, 1,
                null, 7, false, 10, 1, 0.1, k, k, List.of(), List.of()), null);
    }

    @Test
    void theHeatMapShowsEveryBlockOnALogScaleAndMarksZeroBlocks() {
        HessianSummary h = new HessianSummary(1, 1, List.of(probe(0, 1, null), probe(1, 3, null)));
        assertThat(HessianPlots.meanBlocks(h)).containsExactly(Map.entry("1,1", 1.0), Map.entry("1,2", 4e-5),
                Map.entry("2,2", 0.0));
        String svg = HessianPlots.experimentBlocks("t", report(h, h));
        assertThat(svg).contains("<svg", "init", "end (step 7)", "W1", "W2", ">0<", "1.00e+00", "4.00e-05");
        assertThat(HessianPlots.sci(5.043e-5)).isEqualTo("5.04e-05");
        assertThat(HessianPlots.colour(0)).isEqualTo(new java.awt.Color(0x440154));
        assertThat(HessianPlots.colour(1)).isEqualTo(new java.awt.Color(0xfde725));
    }

    @Test
    void theDensityPlotHasACurvePerProbeAndTheNodes() {
        SpectralDensity d = SpectralDensity.of(List.of(new double[] {-1, 2}), List.of(new double[] {0.25, 0.75}), 50,
                null);
        HessianSummary h = new HessianSummary(1, 1, List.of(probe(3, 1, d)));
        ExperimentReport r = report(h, null);
        assertThat(HessianPlots.hasDensity(r)).isTrue();
        assertThat(HessianPlots.density("t", r, false)).contains("<svg", "probe x_3, f_0 (sigma 3.00e-02)", "nodes: probe x_3",
                "eigenvalue t");
        assertThatThrownBy(() -> HessianPlots.density("t", r, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSweepHeatMapsHaveOnePanelPerGroupAndWidth() {
        List<SweepReport.Row> rows = new java.util.ArrayList<>();
        int i = 0;
        for (int m : new int[] {100, 400}) {
            for (String phi : new String[] {"linear", "swish"}) {
                rows.add(new SweepReport.Row(i++, UUID.randomUUID(), JobStatus.SUCCEEDED,
                        Map.of("network.hiddenWidths", List.of(m), "network.outputMap", phi), m, 1, 0.1, 1.0, null, 1.0,
                        0.1, 1.0, 0.01, 0.5, Map.of("1,1", 1.0 / m, "1,2", 0.1, "2,2", 0.0), 1.0));
            }
        }
        SweepReport sweep = new SweepReport(UUID.randomUUID(), "s", JobStatus.SUCCEEDED, Map.of(), null, "anonymous",
                null, List.of(), rows, List.of());
        String svg = HessianPlots.sweepBlocks(sweep);
        assertThat(svg).contains("m=100", "m=400", "outputMap=linear", "outputMap=swish", "2.50e-03");
    }
}
