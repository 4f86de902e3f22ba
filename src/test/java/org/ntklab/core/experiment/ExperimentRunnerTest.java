package org.ntklab.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.data.DataGenerator;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.kernel.ExplicitJacobian;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.Network;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.spectral.SymmetricEigen;
import org.ntklab.core.train.CancelledException;
import org.ntklab.core.train.Loss;
import org.ntklab.core.train.ProgressListener;

class ExperimentRunnerTest {

    /** Lanczos is run to 1e-12 relative residual; a Ritz value's error is of the order of residual^2 / gap. */
    private static final double HESSIAN_TOLERANCE = 1e-10;
    /** Kernels computed two ways agree to float64 rounding. */
    private static final double KERNEL_TOLERANCE = 1e-10;

    /**
     * The phases are exclusive spans covering the whole run; what they miss is bookkeeping between
     * spans (a few list operations), far below 5% of even a millisecond run (issue 14's bound).
     */
    private static final double TIMINGS_SUM_TOLERANCE = 0.05;

    private final ExperimentRunner runner = new ExperimentRunner();

    private static ExperimentSpec spec(Architecture arch, Dataset data, LearningRate lr, int steps, int kernelEvery) {
        return new ExperimentSpec(arch, DataType.DOUBLE, 7, data,
                new TrainingSpec(lr, steps, -1, Loss.SQUARED_ERROR),
                new MeasurementSpec(kernelEvery, MeasurementSpec.defaultProbes((int) data.x().rows()),
                        HessianSchedule.INIT_AND_END, LanczosOptions.defaults(3).withTolerance(1e-12), true));
    }

    private static Dataset sphere(int n, int d, int c) {
        return DataGenerator.SPHERE.generate(DataGenerator.SPHERE.defaults(n, d, c, 5));
    }

    @Test
    void resultIsConsistentWithItsTrajectoryAndAnIndependentKernel() {
        Architecture arch = Architecture.of(4, new int[] {64}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Dataset data = sphere(12, 4, 1);
        ExperimentOutcome outcome = runner.run(spec(arch, data, new LearningRate.Auto(0.5), 30, 7),
                ProgressListener.NONE, () -> false);
        ExperimentResult r = outcome.result();

        INDArray k0 = ExplicitJacobian.kernel(Network.initialize(arch, 7, DataType.DOUBLE), data.x());
        assertThat(r.kernelNormInit()).isCloseTo(k0.norm2Number().doubleValue(), within(KERNEL_TOLERANCE * r.kernelNormInit()));
        double lambdaMax = SymmetricEigen.eigenvalues(k0)[11];
        assertThat(r.learningRate()).isCloseTo(0.5 * 12 / lambdaMax, within(1e-9 * r.learningRate()));
        assertThat(r.kernelSpectrumInit().lambdaMax()).isCloseTo(lambdaMax, within(1e-9 * lambdaMax));

        assertThat(r.trajectory()).extracting(TrajectoryPoint::step).containsExactly(0, 7, 14, 21, 28, 30);
        TrajectoryPoint first = r.trajectory().get(0);
        TrajectoryPoint last = r.trajectory().get(r.trajectory().size() - 1);
        assertThat(first.kernelChange()).isEqualTo(0.0);
        assertThat(first.weightChangeL2()).isEqualTo(0.0);
        assertThat(r.kernelChange()).isEqualTo(r.trajectory().stream().mapToDouble(TrajectoryPoint::kernelChange).max().orElseThrow());
        assertThat(r.kernelChange()).isPositive();
        assertThat(r.weightChangeL2()).isEqualTo(last.weightChangeL2());
        assertThat(r.weightChangeLinf()).isBetween(r.weightChangeL2() / Math.sqrt(r.parameterCount()), r.weightChangeL2());
        assertThat(r.finalLoss()).isEqualTo(last.loss()).isLessThan(r.initialLoss());
        assertThat(outcome.losses()).hasSize(31);
        assertThat(r.steps()).isEqualTo(30);
        assertThat(r.parameterCount()).isEqualTo(4 * 64 + 64);
        assertThat(r.hessianInit().probes()).hasSize(4).allMatch(HessianProbeResult::converged);
        assertThat(r.hessianEnd().probes()).hasSize(4);
        assertThat(r.hessianInit().max()).isEqualTo(r.hessianInit().probes().stream().mapToDouble(HessianProbeResult::norm).max().orElseThrow());
        assertThat(r.linearizationError()).isPositive();

        // Where the time went: every phase that ran, summing to the duration; probes sum to the Hessian phase.
        Timings t = r.timings();
        assertThat(t.phases()).containsOnlyKeys(Phase.SETUP, Phase.TRAINING, Phase.KERNEL_RECORDS, Phase.HESSIAN,
                Phase.LINEARIZATION);
        assertThat(t.phases().values()).allMatch(seconds -> seconds > 0);
        assertThat(t.total()).isCloseTo(r.durationSeconds(), within(TIMINGS_SUM_TOLERANCE * r.durationSeconds()));
        assertThat(t.hessianProbes()).extracting(Timings.ProbeTime::step).containsExactly(0, 0, 0, 0, 30, 30, 30, 30);
        assertThat(t.hessianProbes()).extracting(Timings.ProbeTime::index).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
        assertThat(t.hessianProbes().stream().mapToDouble(Timings.ProbeTime::seconds).sum())
                .isBetween(0.9 * t.seconds(Phase.HESSIAN), t.seconds(Phase.HESSIAN));

        // The same spec and seed give the same numbers.
        ExperimentResult again = runner.run(spec(arch, data, new LearningRate.Auto(0.5), 30, 7),
                ProgressListener.NONE, () -> false).result();
        assertThat(again.kernelChange()).isEqualTo(r.kernelChange());
        assertThat(again.hessianEnd()).isEqualTo(r.hessianEnd());
        assertThat(again.trajectory()).isEqualTo(r.trajectory());
    }

    @Test
    void shallowFrozenOutputHessianNormIsTheClosedFormMaximum() {
        int m = 40;
        Architecture arch = Architecture.of(1, new int[] {m}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, false, Init.RADEMACHER);
        Dataset data = DataGenerator.LINE.generate(DataGenerator.LINE.defaults(9, 1, 1, 5));
        ExperimentResult r = runner.run(spec(arch, data, new LearningRate.Fixed(0.1), 0, 1), ProgressListener.NONE,
                () -> false).result();
        Network net = Network.initialize(arch, 7, DataType.DOUBLE);
        for (HessianProbeResult probe : r.hessianInit().probes()) {
            double x = data.x().getDouble(probe.index(), 0);
            double expected = 0;
            for (int i = 0; i < m; i++) {
                double hii = net.weight(2).getDouble(0, i) * Activation.TANH.at(net.weight(1).getDouble(i, 0) * x)[2] * x * x / Math.sqrt(m);
                expected = Math.max(expected, Math.abs(hii));
            }
            assertThat(probe.norm()).as("probe %d", probe.index()).isCloseTo(expected, within(HESSIAN_TOLERANCE * Math.max(expected, 1e-300)));
        }
    }

    @Test
    void onlyTheLastLayerTrainedWithALinearOutputHasZeroHessianAndConstantKernel() {
        Architecture arch = new Architecture(3, new int[] {20, 20}, 2, Activation.SWISH, OutputMap.LINEAR,
                Parameterization.NTK, new boolean[] {false, false, true}, Init.GAUSSIAN);
        ExperimentResult r = runner.run(spec(arch, sphere(10, 3, 2), new LearningRate.Auto(1.0), 25, 5),
                ProgressListener.NONE, () -> false).result();
        assertThat(r.kernelChange()).isEqualTo(0.0);
        assertThat(r.hessianInit().max()).isEqualTo(0.0);
        assertThat(r.hessianEnd().max()).isEqualTo(0.0);
        assertThat(r.linearizationError()).isLessThan(1e-12);
        assertThat(r.finalLoss()).isLessThan(r.initialLoss());
    }

    @Test
    void reluIsFlaggedAndCancellationIsHonoured() {
        Architecture arch = Architecture.of(3, new int[] {30}, 1, Activation.RELU, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        ExperimentResult r = runner.run(spec(arch, sphere(6, 3, 1), new LearningRate.Auto(0.5), 5, 5),
                ProgressListener.NONE, () -> false).result();
        assertThat(r.notes()).anyMatch(n -> n.contains("relu"));
        int[] seen = {0};
        assertThatThrownBy(() -> runner.run(spec(arch, sphere(6, 3, 1), new LearningRate.Auto(0.5), 1000, 5),
                (step, steps, loss) -> seen[0] = step, () -> seen[0] >= 2)).isInstanceOf(CancelledException.class);
    }

    @Test
    void divergenceKeepsTheTrajectoryUpToTheStepWhereTheLossStoppedBeingFinite() {
        // eta = 50 is 25 times the stable rate of the linearised model: the loss grows geometrically until it overflows.
        Architecture arch = Architecture.of(3, new int[] {20}, 1, Activation.IDENTITY, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Dataset data = sphere(8, 3, 1);
        int kernelEvery = 3;
        ExperimentDivergedException e = catchThrowableOfType(ExperimentDivergedException.class,
                () -> runner.run(spec(arch, data, new LearningRate.Auto(50), 5000, kernelEvery), ProgressListener.NONE,
                        () -> false));

        int step = e.step();
        assertThat(step).isBetween(2, 4999);
        assertThat(e.getMessage()).contains("diverged at step " + step);
        double[] losses = e.losses();
        assertThat(losses).hasSize(step);
        assertThat(java.util.Arrays.stream(losses).allMatch(Double::isFinite)).isTrue();
        assertThat(losses[step - 1]).isGreaterThan(1e6 * losses[0]);

        List<TrajectoryPoint> trajectory = e.trajectory();
        assertThat(trajectory).extracting(TrajectoryPoint::step)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, step).filter(t -> t % kernelEvery == 0)
                        .boxed().toList());
        for (TrajectoryPoint p : trajectory) {
            assertThat(p.loss()).isEqualTo(losses[p.step()]);
        }
        INDArray k0 = ExplicitJacobian.kernel(Network.initialize(arch, 7, DataType.DOUBLE), data.x());
        assertThat(e.kernelInit().distance2(k0)).isLessThan(KERNEL_TOLERANCE * k0.norm2Number().doubleValue());
        assertThat(e.initial().parameters().equalsWithEps(Network.initialize(arch, 7, DataType.DOUBLE).parameters(), 0.0))
                .isTrue();
        assertThat(e.kernelLast().rows()).isEqualTo(8);
    }

    /** float32 carries ~7 digits; through a kernel, a few dozen steps and Lanczos, 1e-4 relative is ample. */
    private static final double FLOAT32_RELATIVE_TOLERANCE = 1e-4;

    @Test
    void float32RunsAgreeWithFloat64WithinSinglePrecision() {
        Architecture arch = Architecture.of(4, new int[] {64, 32}, 1, Activation.SWISH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        ExperimentResult[] results = new ExperimentResult[2];
        DataType[] types = {DataType.DOUBLE, DataType.FLOAT};
        for (int i = 0; i < 2; i++) {
            Dataset data = DataGenerator.SPHERE.generate(DataGenerator.SPHERE.defaults(10, 4, 1, 5).withDtype(types[i]));
            ExperimentSpec spec = new ExperimentSpec(arch, types[i], 7, data,
                    new TrainingSpec(new LearningRate.Auto(0.5), 20, -1, Loss.SQUARED_ERROR),
                    new MeasurementSpec(5, MeasurementSpec.defaultProbes(10), HessianSchedule.INIT_AND_END,
                            LanczosOptions.defaults(3), true));
            results[i] = runner.run(spec, ProgressListener.NONE, () -> false).result();
        }
        ExperimentResult d = results[0];
        ExperimentResult f = results[1];
        assertThat(f.notes()).anyMatch(n -> n.contains("float32"));
        assertThat(f.kernelNormInit()).isCloseTo(d.kernelNormInit(), within(FLOAT32_RELATIVE_TOLERANCE * d.kernelNormInit()));
        assertThat(f.finalLoss()).isCloseTo(d.finalLoss(), within(FLOAT32_RELATIVE_TOLERANCE * d.finalLoss()));
        assertThat(f.hessianInit().max()).isCloseTo(d.hessianInit().max(), within(FLOAT32_RELATIVE_TOLERANCE * d.hessianInit().max()));
        assertThat(f.kernelChange()).isCloseTo(d.kernelChange(), within(1e-2 * d.kernelChange()));
    }

    @Test
    void invalidCombinationsAreRejected() {
        Architecture arch = Architecture.of(3, new int[] {30}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Dataset data = sphere(6, 3, 1);
        assertThatThrownBy(() -> new ExperimentSpec(arch, DataType.DOUBLE, 1, sphere(6, 4, 1),
                new TrainingSpec(new LearningRate.Fixed(0.1), 1, -1, Loss.SQUARED_ERROR),
                new MeasurementSpec(1, List.of(), HessianSchedule.INIT, LanczosOptions.defaults(1), false)))
                .hasMessageContaining("input columns");
        assertThatThrownBy(() -> new ExperimentSpec(arch, DataType.DOUBLE, 1, data,
                new TrainingSpec(new LearningRate.Fixed(0.1), 1, -1, Loss.CROSS_ENTROPY),
                new MeasurementSpec(1, List.of(), HessianSchedule.INIT, LanczosOptions.defaults(1), false)))
                .hasMessageContaining("softmax");
        assertThatThrownBy(() -> new ExperimentSpec(arch, DataType.DOUBLE, 1, data,
                new TrainingSpec(new LearningRate.Fixed(0.1), 1, -1, Loss.SQUARED_ERROR),
                new MeasurementSpec(1, List.of(new HessianProbe(6, 0)), HessianSchedule.INIT, LanczosOptions.defaults(1), false)))
                .hasMessageContaining("probe index 6");
    }

    /**
     * measurements.infiniteWidthKernel: the distances are those of the exported kernels to Theta_inf
     * (c = 2: Theta (x) I_c), the eigenvalues are Theta's, the memory estimate counts it, and an
     * undefined case (a swish output, a standard parameterization) carries only its reason.
     */
    @Test
    void infiniteWidthKernelDistancesMatchTheExportedKernels() {
        Architecture arch = Architecture.of(4, new int[] {32, 32}, 2, Activation.RELU, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Dataset data = sphere(6, 4, 2);
        ExperimentSpec spec = new ExperimentSpec(arch, DataType.DOUBLE, 7, data,
                new TrainingSpec(new LearningRate.Auto(0.5), 10, -1, Loss.SQUARED_ERROR),
                new MeasurementSpec(5, List.of(), HessianSchedule.INIT, LanczosOptions.defaults(3), false, true));
        ExperimentOutcome outcome = runner.run(spec, ProgressListener.NONE, () -> false);
        InfiniteWidthSummary limit = outcome.result().infiniteWidthKernel();
        INDArray theta = org.ntklab.core.kernel.InfiniteWidthKernel.of(arch, data.x(),
                org.ntklab.core.kernel.GaussianExpectation.CLOSED_FORM_WHERE_KNOWN, () -> false).theta();
        assertThat(outcome.kernelInfinite()).isEqualTo(theta);
        assertThat(limit.reason()).isNull();
        assertThat(limit.expectations()).isEqualTo(InfiniteWidthSummary.CLOSED_FORM);
        assertThat(limit.distanceInit()).isCloseTo(org.ntklab.core.kernel.InfiniteWidthKernel.distance(
                outcome.kernelInit(), theta, 2), within(1e-15)).isBetween(1e-3, 1.0);
        assertThat(limit.distanceEnd()).isCloseTo(org.ntklab.core.kernel.InfiniteWidthKernel.distance(
                outcome.kernelLast(), theta, 2), within(1e-15)).isNotEqualTo(limit.distanceInit());
        double[] eigenvalues = SymmetricEigen.eigenvalues(theta);
        assertThat(limit.lambdaMin()).isCloseTo(eigenvalues[0], within(1e-12 * eigenvalues[5]));
        assertThat(limit.lambdaMax()).isCloseTo(eigenvalues[5], within(1e-12 * eigenvalues[5]));
        assertThat(MemoryEstimate.of(spec).infiniteWidthKernel()).isEqualTo((2 * 2 + 5) * 36 * 8 + 36 * 8 + 144 * 8);

        for (Architecture undefined : new Architecture[] {
            Architecture.of(4, new int[] {8}, 1, Activation.TANH, OutputMap.SWISH, Parameterization.NTK, true, Init.GAUSSIAN),
            Architecture.of(4, new int[] {8}, 1, Activation.TANH, OutputMap.LINEAR, Parameterization.STANDARD, true,
                    Init.GAUSSIAN)}) {
            ExperimentSpec s = new ExperimentSpec(undefined, DataType.DOUBLE, 7, sphere(6, 4, 1),
                    new TrainingSpec(new LearningRate.Auto(0.5), 2, -1, Loss.SQUARED_ERROR),
                    new MeasurementSpec(5, List.of(), HessianSchedule.INIT, LanczosOptions.defaults(3), false, true));
            ExperimentOutcome o = runner.run(s, ProgressListener.NONE, () -> false);
            assertThat(o.result().infiniteWidthKernel()).isEqualTo(InfiniteWidthSummary.undefined(
                    org.ntklab.core.kernel.InfiniteWidthKernel.undefinedReason(undefined)));
            assertThat(o.kernelInfinite()).isNull();
            assertThat(MemoryEstimate.of(s).infiniteWidthKernel()).isZero();
        }
    }

    @Test
    void inputsThatOverflowFailSayingSoNotThatTheKernelIsZero() {
        // what submission refuses (jobs.spec.InputMagnitude), given to the engine directly
        Architecture arch = Architecture.of(2, new int[] {16, 16}, 1, Activation.RELU, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Dataset data = Dataset.of(new double[][] {{1e308, 0.5}, {-0.25, -1e308}, {1, 1}}, new double[][] {{1}, {2}, {3}},
                DataType.DOUBLE);
        assertThatThrownBy(() -> runner.run(spec(arch, data, new LearningRate.Auto(0.5), 2, 1), ProgressListener.NONE,
                () -> false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not finite at this initialisation: the forward pass overflowed in double")
                .hasMessageContaining("largest |x| = 1.0E308")
                .hasMessageContaining("rescale (standardise) the data")
                .hasMessageNotContaining("inactive");
    }
}
