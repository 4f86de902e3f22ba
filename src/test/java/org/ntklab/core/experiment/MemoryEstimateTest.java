package org.ntklab.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.data.DataGenerator;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.train.Loss;

class MemoryEstimateTest {

    private static Architecture network(int d, int[] hidden, int c, boolean trainOutput) {
        return Architecture.of(d, hidden, c, Activation.TANH, OutputMap.LINEAR, Parameterization.NTK, trainOutput,
                Init.GAUSSIAN);
    }

    /** d = 3, widths [4, 5], c = 2, n = 6, float64, FULL reorthogonalisation, 4 probes. */
    @Test
    void handComputedFloat64WithFullBasis() {
        MemoryEstimate e = MemoryEstimate.of(network(3, new int[] {4, 5}, 2, true), 6, DataType.DOUBLE,
                LanczosOptions.defaults(0), 4);
        // p = 12 + 20 + 10 = 42, M = 9, N = n c = 12
        assertThat(e.weights()).isEqualTo(4 * 42 * 8);
        assertThat(e.activations()).isEqualTo((6 * 6 * 9 + 8 * 6 * 2) * 8);
        assertThat(e.kernels()).isEqualTo(144 * 40 + 36 * 8 + 12 * (9 + 2) * 8);
        // k = min(100, 42): basis (43, 42); Ritz vector and its image; the double start vector twice
        assertThat(e.krylovBasis()).isEqualTo(43 * 42 * 8 + 2 * 42 * 8 + 16 * 42);
        assertThat(e.other()).isEqualTo((6 * 3 + 2 * 6 * 2) * 8 + 10 * (9 + 2) * 8);
        assertThat(e.total()).isEqualTo(1344 + 3360 + 7104 + 15792 + 1216);
        assertThat(e.breakdown()).containsExactly(
                entry("weights", 1344L),
                entry("activations", 3360L),
                entry("kernels", 7104L),
                entry("krylovBasis", 15792L),
                entry("other", 1216L));
    }

    /** d = 2, width [10], c = 1 frozen, n = 3, float32, no basis budget (LOCAL), 1 probe. */
    @Test
    void handComputedFloat32WithLocalReorthogonalisationAndFrozenOutput() {
        MemoryEstimate e = MemoryEstimate.of(network(2, new int[] {10}, 1, false), 3, DataType.FLOAT,
                LanczosOptions.defaults(0).withMaxBasisBytes(0), 1);
        // p = 20, F = 10, M = 10, N = 3
        assertThat(e.weights()).isEqualTo((4 * 20 + 10) * 4);
        assertThat(e.activations()).isEqualTo((6 * 3 * 10 + 8 * 3) * 4);
        // float32: K_0, K_T (4 bytes each) + double copy after the cast (8 + 8) + two heap doubles = 40
        assertThat(e.kernels()).isEqualTo(9 * 40 + 9 * 4 + 3 * 11 * 4);
        assertThat(e.krylovBasis()).isEqualTo(3 * 20 * 4 + (16 + 4) * 20);
        assertThat(e.other()).isEqualTo((3 * 2 + 2 * 3) * 4 + 10 * 11 * 4);
        assertThat(e.total()).isEqualTo(2832);
    }

    /** A shallow float64 net on n >= 8 inputs adds the fused training step's buffers; float32 does not. */
    @Test
    void theFusedStepsBuffersAreCountedWhereItApplies() {
        Architecture shallow = network(10, new int[] {10000}, 1, true);
        long passes = (6L * 100 * 10000 + 8 * 100) * 8;
        MemoryEstimate e = MemoryEstimate.of(shallow, 100, DataType.DOUBLE, LanczosOptions.defaults(0), 0);
        assertThat(org.ntklab.core.nn.FirstLayerStep.applies(shallow, DataType.DOUBLE, 100)).isTrue();
        assertThat(e.activations()).isEqualTo(passes + org.ntklab.core.nn.FirstLayerStep.bytes(shallow, 100));
        assertThat(org.ntklab.core.nn.FirstLayerStep.bytes(shallow, 100)).isBetween(3_000_000L, 6_000_000L);
        assertThat(MemoryEstimate.of(shallow, 100, DataType.FLOAT, LanczosOptions.defaults(0), 0).activations())
                .isEqualTo(passes / 2);
    }

    @Test
    void noProbesNeedNoKrylovBasis() {
        MemoryEstimate e = MemoryEstimate.of(network(3, new int[] {8}, 1, true), 5, DataType.DOUBLE,
                LanczosOptions.defaults(0), 0);
        assertThat(e.krylovBasis()).isZero();
    }

    @Test
    void aBasisOverBudgetFallsBackToThreeVectors() {
        Architecture arch = network(3, new int[] {8}, 1, true); // p = 32, FULL basis (33, 32) = 8448 bytes
        LanczosOptions justEnough = LanczosOptions.defaults(0).withMaxBasisBytes(33 * 32 * 8);
        assertThat(MemoryEstimate.of(arch, 5, DataType.DOUBLE, justEnough, 1).krylovBasis())
                .isEqualTo(33 * 32 * 8 + 2 * 32 * 8 + 16 * 32);
        assertThat(MemoryEstimate.of(arch, 5, DataType.DOUBLE, justEnough.withMaxBasisBytes(33 * 32 * 8 - 1), 1)
                .krylovBasis()).isEqualTo(3 * 32 * 8 + 16 * 32);
    }

    @Test
    void saturatesInsteadOfOverflowing() {
        MemoryEstimate e = MemoryEstimate.of(network(1, new int[] {1}, 1000, true), Integer.MAX_VALUE,
                DataType.DOUBLE, LanczosOptions.defaults(0), 1);
        assertThat(e.kernels()).isEqualTo(Long.MAX_VALUE);
        assertThat(e.total()).isEqualTo(Long.MAX_VALUE);
        assertThat(MemoryEstimate.byteSize(10, DataType.FLOAT)).isEqualTo(40);
        assertThat(MemoryEstimate.byteSize(Long.MAX_VALUE / 2, DataType.DOUBLE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void ofSpecReadsNAndProbesFromTheSpec() {
        Architecture arch = network(3, new int[] {4, 5}, 2, true);
        ExperimentSpec spec = new ExperimentSpec(arch, DataType.DOUBLE, 0,
                DataGenerator.SPHERE.generate(DataGenerator.SPHERE.defaults(6, 3, 2, 0)),
                new TrainingSpec(new LearningRate.Fixed(0.1), 1, 0, Loss.SQUARED_ERROR),
                new MeasurementSpec(1, List.of(new HessianProbe(0, 0)), HessianSchedule.INIT,
                        LanczosOptions.defaults(0), false));
        assertThat(MemoryEstimate.of(spec))
                .isEqualTo(MemoryEstimate.of(arch, 6, DataType.DOUBLE, LanczosOptions.defaults(0), 1));
    }
}
