package org.ntklab.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.TestNetworks;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.kernel.TangentKernel;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.Network;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;

class GradientDescentTest {

    private static Dataset data(int n, int d, int c) {
        INDArray x = TestNetworks.gaussian(101, n, d, DataType.DOUBLE);
        INDArray y = TestNetworks.gaussian(102, n, c, DataType.DOUBLE).muli(0.5);
        return new Dataset(x, y);
    }

    @Test
    void singleTrainableLayerWithIdentityActivationKeepsTheKernelExactlyConstant() {
        // f = v^T W x / sqrt(m d) with v frozen: linear in W, so K does not depend on W at all.
        Architecture arch = Architecture.of(3, new int[] {20}, 1, Activation.IDENTITY, OutputMap.LINEAR,
                Parameterization.NTK, false, Init.RADEMACHER);
        Network net = Network.initialize(arch, 5, DataType.DOUBLE);
        Dataset data = data(8, 3, 1);
        INDArray k0 = TangentKernel.full(net, data.x());
        List<INDArray> kernels = new ArrayList<>();
        GradientDescent.Run run = GradientDescent.train(net, data,
                new GradientDescent.Options(0.5, 50, -1, Loss.SQUARED_ERROR, 10),
                s -> kernels.add(TangentKernel.full(s.pass())), ProgressListener.NONE, Cancellation.NEVER);
        assertThat(run.losses()[50]).isLessThan(run.losses()[0] * 0.9);
        assertThat(kernels).hasSize(6);
        for (INDArray k : kernels) {
            assertThat(k.sub(k0).amaxNumber().doubleValue()).isEqualTo(0.0);
        }
    }

    @Test
    void onlyLastLayerTrainedWithLinearOutputKeepsTheKernelExactlyConstant() {
        Architecture arch = new Architecture(3, new int[] {10, 10}, 2, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, new boolean[] {false, false, true}, Init.GAUSSIAN);
        Network net = Network.initialize(arch, 6, DataType.DOUBLE);
        Dataset data = data(6, 3, 2);
        INDArray k0 = TangentKernel.full(net, data.x());
        double[] maxChange = {0};
        GradientDescent.Run run = GradientDescent.train(net, data,
                new GradientDescent.Options(0.3, 40, -1, Loss.SQUARED_ERROR, 5),
                s -> maxChange[0] = Math.max(maxChange[0], TangentKernel.full(s.pass()).sub(k0).amaxNumber().doubleValue()),
                ProgressListener.NONE, Cancellation.NEVER);
        assertThat(maxChange[0]).isEqualTo(0.0);
        assertThat(run.losses()[40]).isLessThan(run.losses()[0]);
    }

    @Test
    void stepsAreRecordedAtZeroEveryStrideAndTheEndAndLossFalls() {
        Architecture arch = Architecture.of(3, new int[] {50}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Network net = Network.initialize(arch, 7, DataType.DOUBLE);
        List<Integer> steps = new ArrayList<>();
        List<Integer> progress = new ArrayList<>();
        GradientDescent.Run run = GradientDescent.train(net, data(10, 3, 1),
                new GradientDescent.Options(0.5, 23, -1, Loss.SQUARED_ERROR, 10), s -> steps.add(s.step()),
                (step, total, loss) -> progress.add(step), Cancellation.NEVER);
        assertThat(steps).containsExactly(0, 10, 20, 23);
        assertThat(progress).hasSize(23).endsWith(23);
        assertThat(run.steps()).isEqualTo(23);
        for (int t = 1; t <= 23; t++) {
            assertThat(run.losses()[t]).isLessThan(run.losses()[t - 1]);
        }
    }

    /**
     * Unrecorded steps of a shallow network go through FirstLayerStep, recorded ones through a
     * forward pass: training with a record every 7 steps has the bits of training with a record at
     * every step (losses, final weights, the gradient the hook sees), also when the loss target is
     * reached at an unrecorded step (that step is then recorded, as the last).
     */
    @Test
    void unrecordedStepsHaveTheBitsOfRecordedOnes() {
        Architecture arch = Architecture.of(5, new int[] {700}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Network net = Network.initialize(arch, 8, DataType.DOUBLE);
        Dataset data = data(21, 5, 1);
        assertThat(org.ntklab.core.nn.FirstLayerStep.applies(net, 21)).isTrue();
        Network everyStep = net.copy();
        List<double[]> everyGradient = new ArrayList<>();
        GradientDescent.Run reference = GradientDescent.train(everyStep, data,
                new GradientDescent.Options(0.5, 40, -1, Loss.SQUARED_ERROR, 1),
                s -> everyGradient.add(s.gradient().toDoubleVector()), ProgressListener.NONE, Cancellation.NEVER);
        Network sparse = net.copy();
        List<Integer> recorded = new ArrayList<>();
        List<double[]> sparseGradient = new ArrayList<>();
        GradientDescent.Run run = GradientDescent.train(sparse, data,
                new GradientDescent.Options(0.5, 40, -1, Loss.SQUARED_ERROR, 7), s -> {
                    recorded.add(s.step());
                    sparseGradient.add(s.gradient().toDoubleVector());
                }, ProgressListener.NONE, Cancellation.NEVER);
        assertThat(recorded).containsExactly(0, 7, 14, 21, 28, 35, 40);
        assertThat(run.losses()).containsExactly(reference.losses());
        assertThat(sparse.parameters().toDoubleVector()).containsExactly(everyStep.parameters().toDoubleVector());
        for (int r = 0; r < recorded.size(); r++) {
            assertThat(sparseGradient.get(r)).containsExactly(everyGradient.get(recorded.get(r)));
        }

        double target = reference.losses()[17]; // reached at step 17, which is not recorded
        List<Integer> early = new ArrayList<>();
        GradientDescent.Run stopped = GradientDescent.train(net.copy(), data,
                new GradientDescent.Options(0.5, 40, target, Loss.SQUARED_ERROR, 7), s -> early.add(s.step()),
                ProgressListener.NONE, Cancellation.NEVER);
        assertThat(stopped.reachedTarget()).isTrue();
        assertThat(stopped.steps()).isEqualTo(17);
        assertThat(early).containsExactly(0, 7, 14, 17);
        assertThat(stopped.losses()).containsExactly(java.util.Arrays.copyOf(reference.losses(), 18));
    }

    @Test
    void stopsAtTheLossTarget() {
        Architecture arch = Architecture.of(3, new int[] {50}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Network net = Network.initialize(arch, 7, DataType.DOUBLE);
        Dataset data = data(10, 3, 1);
        GradientDescent.Run full = GradientDescent.train(net.copy(), data,
                new GradientDescent.Options(0.5, 100, -1, Loss.SQUARED_ERROR, 10), s -> { },
                ProgressListener.NONE, Cancellation.NEVER);
        double target = full.losses()[30];
        GradientDescent.Run early = GradientDescent.train(net, data,
                new GradientDescent.Options(0.5, 100, target, Loss.SQUARED_ERROR, 10), s -> { },
                ProgressListener.NONE, Cancellation.NEVER);
        assertThat(early.reachedTarget()).isTrue();
        assertThat(early.steps()).isEqualTo(30);
        assertThat(early.losses()[30]).isEqualTo(target);
    }

    @Test
    void divergenceIsReportedWithItsStep() {
        Architecture arch = Architecture.of(3, new int[] {20}, 1, Activation.IDENTITY, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Network net = Network.initialize(arch, 7, DataType.DOUBLE);
        assertThatThrownBy(() -> GradientDescent.train(net, data(10, 3, 1),
                new GradientDescent.Options(1e6, 10_000, -1, Loss.SQUARED_ERROR, 10), s -> { },
                ProgressListener.NONE, Cancellation.NEVER))
                .isInstanceOfSatisfying(DivergedException.class, e -> {
                    assertThat(e.step()).isGreaterThan(0);
                    assertThat(e.losses()).hasSize(e.step());
                    assertThat(e.getMessage()).contains("diverged at step " + e.step());
                });
    }

    @Test
    void cancellationStopsBetweenSteps() {
        Architecture arch = Architecture.of(3, new int[] {20}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Network net = Network.initialize(arch, 7, DataType.DOUBLE);
        int[] done = {0};
        assertThatThrownBy(() -> GradientDescent.train(net, data(10, 3, 1),
                new GradientDescent.Options(0.1, 1000, -1, Loss.SQUARED_ERROR, 10), s -> { },
                (step, total, loss) -> done[0] = step, () -> done[0] >= 3))
                .isInstanceOf(CancelledException.class);
        assertThat(done[0]).isEqualTo(3);
    }
}
