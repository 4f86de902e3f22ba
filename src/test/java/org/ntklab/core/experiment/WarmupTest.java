package org.ntklab.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.OutputMap;

class WarmupTest {

    @Test
    void thePlanCoversEveryActivationOutputMapAndBothPrecisions() {
        Set<Activation> activations = EnumSet.noneOf(Activation.class);
        Set<OutputMap> outputs = EnumSet.noneOf(OutputMap.class);
        Set<DataType> dtypes = EnumSet.noneOf(DataType.class);
        for (ExperimentSpec spec : Warmup.plan()) {
            activations.add(spec.architecture().activation());
            outputs.add(spec.architecture().outputMap());
            dtypes.add(spec.dtype());
            assertThat(spec.measurements().probes()).isNotEmpty();
            assertThat(spec.measurements().linearizationError()).isTrue();
        }
        assertThat(activations).containsExactlyInAnyOrder(Activation.values());
        assertThat(outputs).containsExactlyInAnyOrder(OutputMap.values());
        assertThat(dtypes).containsExactlyInAnyOrder(DataType.DOUBLE, DataType.FLOAT);
    }

    @Test
    void theSpreadTanhInputsPutMostVectorsOfEightAcrossTheBreakpoint() {
        // tanh is a polynomial below |x| = 1 and an exponential formula above it; spreadTanh must
        // reach the loops for vectors with lanes on both sides, which the experiments' small inputs rarely do
        double[] x = Warmup.spreadInputs();
        int across = 0;
        int groups = x.length / 8;
        for (int g = 0; g < groups; g++) {
            boolean below = false;
            boolean above = false;
            for (int j = 0; j < 8; j++) {
                below |= Math.abs(x[8 * g + j]) < 1.0;
                above |= Math.abs(x[8 * g + j]) >= 1.0;
            }
            across += below && above ? 1 : 0;
        }
        assertThat(across).isGreaterThan(groups * 3 / 4);
    }

    @Test
    void theWideForwardPassesStopAtTheBound() {
        // the bound is checked before each pass: a cancellation that answers "not yet" 5 times allows 5 passes
        AtomicLong checks = new AtomicLong();
        Warmup.wideForward(Warmup.plan().get(0), () -> checks.incrementAndGet() > 5);
        assertThat(checks.get()).isEqualTo(6);
        checks.set(0);
        Warmup.wideForward(Warmup.plan().get(0), () -> checks.incrementAndGet() > 100);
        assertThat(checks.get()).as("40 passes, each after a check").isEqualTo(40);
    }

    @Test
    void aZeroBoundRunsNothing() {
        Warmup.Report report = Warmup.run(0, System::nanoTime);
        assertThat(report.runs()).isZero();
        assertThat(report.complete()).isFalse();
    }

    @Test
    void theBoundStopsTheWarmupInsideARun() {
        // A clock that advances 1 ms per reading: the 0.05 s bound passes during the first experiment
        // (it reads the clock at every step), which then stops at its next step.
        AtomicLong now = new AtomicLong();
        Warmup.Report report = Warmup.run(0.05, () -> now.addAndGet(1_000_000));
        assertThat(report.runs()).isZero();
        assertThat(report.complete()).isFalse();
        assertThat(report.seconds()).isLessThan(0.1);
    }
}
