package org.ntklab.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntklab.core.spectral.LanczosOptions;

/** The time estimate of the opt-in Hessian measurements, by hand. */
class HessianMeasurementCostTest {

    /** The estimate is a sum of a few products of small integers and one constant: rounding only. */
    private static final double ROUNDING = 1e-12;

    private static MeasurementSpec spec(HessianSchedule at, boolean blocks, int samples, DensitySpec density,
            boolean loss) {
        return new MeasurementSpec(25, List.of(new HessianProbe(0, 0), new HessianProbe(1, 0)), at,
                LanczosOptions.defaults(1).withMaxIterations(30), false, blocks, samples, density, loss, false);
    }

    @Test
    void countsHessianVectorProductsPerProbePointAndLossHessian() {
        // per probe and point: blocks (30 + 2) 3^2 = 288, trace 10, density 2 x 5 = 10 -> 308;
        // 2 probes at init and end -> 1232; loss Hessian at init and end: 2 x 3 x 32 x 2 x 20 = 7680
        double seconds = HessianMeasurementCost.estimatedSeconds(
                spec(HessianSchedule.INIT_AND_END, true, 10, new DensitySpec(2, 5, 50, null), true), 1000, 3, 20, 100);
        assertThat(seconds).isCloseTo((1232 + 7680) * 1000 * HessianMeasurementCost.SECONDS_PER_PARAMETER,
                within(ROUNDING * seconds));
    }

    @Test
    void everyRecordMultipliesTheStructureButNotTheLossHessian() {
        // 100 steps, a record every 25: 100 / 25 + 2 = 6 points; the loss Hessian stays at init and end
        double seconds = HessianMeasurementCost.estimatedSeconds(
                spec(HessianSchedule.EVERY_RECORD, false, 10, null, true), 1000, 3, 20, 100);
        assertThat(seconds).isCloseTo((6 * 2 * 10 + 7680) * 1000 * HessianMeasurementCost.SECONDS_PER_PARAMETER,
                within(ROUNDING * seconds));
        assertThat(HessianMeasurementCost.estimatedSeconds(spec(HessianSchedule.INIT, false, 10, null, false), 1000, 3,
                20, 100)).isCloseTo(2 * 10 * 1000 * HessianMeasurementCost.SECONDS_PER_PARAMETER, within(1e-15));
    }

    @Test
    void nothingAskedForCostsNothing() {
        assertThat(HessianMeasurementCost.estimatedSeconds(spec(HessianSchedule.INIT_AND_END, false, 0, null, false),
                1_000_000, 3, 20, 100)).isZero();
    }
}
