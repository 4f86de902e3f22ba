package org.ntklab.api.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.experiment.ExperimentResult;
import org.ntklab.core.experiment.TrajectoryPoint;
import org.ntklab.core.spectral.KernelSpectrum;
import org.ntklab.jobs.ExperimentReport;

class PlotsTest {

    private static ExperimentReport report(double... losses) {
        KernelSpectrum k = KernelSpectrum.of(Nd4j.eye(2).castTo(DataType.DOUBLE));
        List<TrajectoryPoint> trajectory = new java.util.ArrayList<>();
        for (int t = 0; t < losses.length; t++) {
            trajectory.add(new TrajectoryPoint(t, losses[t], 0.0, 0.0, 0.0, 1.0, null, null));
        }
        return ExperimentReport.of(new ExperimentResult(0.0, 1, null, null, losses[0], losses[losses.length - 1], 0,
                0, null, losses.length - 1, false, 10, 1, 0.1, k, k, trajectory, List.of()), null);
    }

    @Test
    void aSingleHugeLossIsPlottedOnADecadeAroundIt() {
        // found by the hostile-input fuzzer: zero steps and targets of 1e9 give one loss of 2.9e17,
        // where LogAxis's additive minimum range vanished in rounding and the plot was a 500
        Plots plots = new Plots(id -> Optional.empty());
        assertThat(plots.experiment("one point", report(2.86370641826992928E17))).contains("<svg", "loss");
        assertThat(plots.experiment("one small point", report(0.25))).contains("<svg");
        assertThat(plots.experiment("a trajectory", report(2.0, 1.0, 0.5))).contains("<svg");
    }

    @Test
    void theDecadeAxisWidensOnlyAnEmptyRange() {
        Plots.DecadeAxis single = axisOver(3e17);
        assertThat(single.getLowerBound()).isCloseTo(3e17 / Math.sqrt(10), org.assertj.core.data.Percentage.withPercentage(1e-9));
        assertThat(single.getUpperBound()).isCloseTo(3e17 * Math.sqrt(10), org.assertj.core.data.Percentage.withPercentage(1e-9));
        Plots.DecadeAxis spread = axisOver(1.0, 100.0);
        assertThat(spread.getLowerBound()).isLessThanOrEqualTo(1.0).isGreaterThan(0.1);
        assertThat(spread.getUpperBound()).isGreaterThanOrEqualTo(100.0).isLessThan(1000.0);
    }

    private static Plots.DecadeAxis axisOver(double... values) {
        XYSeries series = new XYSeries("s");
        for (int i = 0; i < values.length; i++) {
            series.add(i, values[i]);
        }
        Plots.DecadeAxis axis = new Plots.DecadeAxis("y");
        new XYPlot(new XYSeriesCollection(series), new org.jfree.chart.axis.NumberAxis("x"), axis, null);
        return axis;
    }
}
