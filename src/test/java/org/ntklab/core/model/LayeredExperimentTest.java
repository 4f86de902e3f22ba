package org.ntklab.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.ImageGenerator;
import org.ntklab.core.data.npy.NpyArray;
import org.ntklab.core.data.npy.NpzReader;
import org.ntklab.core.experiment.ExperimentOutcome;
import org.ntklab.core.experiment.ExperimentResult;
import org.ntklab.core.experiment.ExperimentRunner;
import org.ntklab.core.experiment.ExperimentSpec;
import org.ntklab.core.experiment.Exports;
import org.ntklab.core.experiment.HessianSchedule;
import org.ntklab.core.experiment.LearningRate;
import org.ntklab.core.experiment.MeasurementSpec;
import org.ntklab.core.experiment.MemoryEstimate;
import org.ntklab.core.experiment.TrainingSpec;
import org.ntklab.core.layers.Conv2d;
import org.ntklab.core.layers.ConvArchitecture;
import org.ntklab.core.layers.LayeredKernel;
import org.ntklab.core.layers.LayeredNetwork;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.train.Loss;
import org.ntklab.core.train.ProgressListener;

/** A convolutional experiment through the runner: its numbers, the identities that tie them, its export. */
class LayeredExperimentTest {

    private static final ConvArchitecture CNN = new ConvArchitecture(ConvArchitecture.Kind.CNN, new int[] {2, 6, 6},
            new int[] {4, 3}, 3, 1, Conv2d.Padding.SAME, 0, null, ConvArchitecture.Pooling.AVERAGE, Activation.TANH,
            OutputMap.LINEAR, 1, Parameterization.NTK);

    private static ExperimentSpec spec(ConvArchitecture a, Dataset data, int steps) {
        return new ExperimentSpec(new LayeredSpec(a), DataType.DOUBLE, 4, data,
                new TrainingSpec(new LearningRate.Auto(0.5), steps, -1, Loss.SQUARED_ERROR),
                new MeasurementSpec(5, MeasurementSpec.defaultProbes(data.n()), HessianSchedule.INIT_AND_END,
                        LanczosOptions.defaults(3).withTolerance(1e-10), true));
    }

    @Test
    void aCnnExperimentTrainsAndMeasuresConsistently() throws Exception {
        Dataset data = ImageGenerator.generate(8, 2, 6, 6, 1, 4, DataType.DOUBLE);
        ExperimentOutcome outcome = new ExperimentRunner().run(spec(CNN, data, 20), ProgressListener.NONE, () -> false);
        ExperimentResult r = outcome.result();
        assertThat(r.finalLoss()).isLessThan(r.initialLoss());
        assertThat(r.steps()).isEqualTo(20);
        assertThat(r.kernelChange()).isPositive().isFinite();
        assertThat(r.hessianInit().probes()).hasSize(4);
        assertThat(r.hessianInit().max()).isPositive();
        assertThat(r.linearizationError()).isPositive();
        LayeredNetwork w0 = LayeredNetwork.initialize(CNN.build(), 4, DataType.DOUBLE);
        INDArray k0 = LayeredKernel.full(w0, data.x());
        assertThat(outcome.kernelInit().sub(k0).normmaxNumber().doubleValue()).isZero();
        assertThat(r.learningRate()).isCloseTo(0.5 * 8 / r.kernelSpectrumInit().lambdaMax(),
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.parameterCount()).isEqualTo(2 * 4 * 9 + 4 * 3 * 9 + 3);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Exports.writeInitial(bytes, outcome.model(), data, new long[] {2, 6, 6});
        Map<String, NpyArray> npz = NpzReader.read(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(npz.get("X").shape()).containsExactly(8, 2, 6, 6);
        assertThat(npz.get("W1").shape()).containsExactly(4, 2, 3, 3);
        assertThat(npz.get("W2").shape()).containsExactly(3, 4, 3, 3);
        assertThat(npz.get("W3").shape()).containsExactly(1, 3);
        // W1 in (C_out, C_in, k, k) order is the first block of w_0, row-major
        INDArray w1 = npz.get("W1").toINDArray();
        assertThat(w1.getDouble(1, 0, 2, 1)).isEqualTo(w0.parameters().getDouble(1 * 18 + 0 * 9 + 2 * 3 + 1));
    }

    @Test
    void aResnetWithZeroScaleIsItsStemAndHead() {
        ConvArchitecture resnet = new ConvArchitecture(ConvArchitecture.Kind.RESNET, new int[] {2, 4, 4}, new int[] {3},
                3, 1, Conv2d.Padding.SAME, 2, 0.0, ConvArchitecture.Pooling.AVERAGE, Activation.TANH,
                OutputMap.LINEAR, 1, Parameterization.NTK);
        ConvArchitecture plain = new ConvArchitecture(ConvArchitecture.Kind.CNN, new int[] {2, 4, 4}, new int[] {3}, 3, 1,
                Conv2d.Padding.SAME, 0, null, ConvArchitecture.Pooling.AVERAGE, Activation.TANH, OutputMap.LINEAR, 1,
                Parameterization.NTK);
        Dataset data = ImageGenerator.generate(5, 2, 4, 4, 1, 2, DataType.DOUBLE);
        LayeredNetwork r = LayeredNetwork.initialize(resnet.build(), 1, DataType.DOUBLE);
        LayeredNetwork p = LayeredNetwork.initialize(plain.build(), 1, DataType.DOUBLE);
        // with alpha = 0 the stem and the head see the same draws only if parameters line up: copy them
        INDArray w = p.parameters();
        long stem = 2 * 3 * 9;
        r.parameters().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, stem))
                .assign(w.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, stem)));
        long head = 3;
        long pr = r.parameterCount();
        r.parameters().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(pr - head, pr))
                .assign(w.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(stem, stem + head)));
        assertThat(r.forward(data.x()).output().sub(p.forward(data.x()).output()).normmaxNumber().doubleValue())
                .isLessThan(1e-15);
    }

    @Test
    void theMemoryEstimateCoversTheKernelAndGrowsWithChannels() {
        MemoryEstimate small = MemoryEstimate.ofLayered(CNN, 20, DataType.DOUBLE, LanczosOptions.defaults(0), 4);
        assertThat(small.kernels()).isGreaterThanOrEqualTo(20L * 20 * 8);
        ConvArchitecture wide = new ConvArchitecture(ConvArchitecture.Kind.CNN, new int[] {2, 6, 6},
                new int[] {64, 64}, 3, 1, Conv2d.Padding.SAME, 0, null, ConvArchitecture.Pooling.AVERAGE,
                Activation.TANH, OutputMap.LINEAR, 1, Parameterization.NTK);
        MemoryEstimate big = MemoryEstimate.ofLayered(wide, 20, DataType.DOUBLE, LanczosOptions.defaults(0), 4);
        assertThat(big.total()).isGreaterThan(small.total());
        assertThat(big.weights()).isEqualTo(4L * 8 * (2 * 64 * 9 + 64 * 64 * 9 + 64));
    }

    /** A convolutional network has no infinite-width kernel here yet: the result says so, nothing is estimated for it. */
    @Test
    void theInfiniteWidthKernelOfAConvolutionalNetworkIsOnlyAReason() {
        Dataset data = ImageGenerator.generate(5, 2, 6, 6, 1, 2, DataType.DOUBLE);
        ExperimentSpec spec = new ExperimentSpec(new LayeredSpec(CNN), DataType.DOUBLE, 4, data,
                new TrainingSpec(new LearningRate.Auto(0.5), 1, -1, Loss.SQUARED_ERROR),
                new MeasurementSpec(5, java.util.List.of(), HessianSchedule.INIT, LanczosOptions.defaults(3), false, true));
        ExperimentOutcome outcome = new ExperimentRunner().run(spec, ProgressListener.NONE, () -> false);
        assertThat(outcome.result().infiniteWidthKernel().reason()).contains("fully connected networks only");
        assertThat(outcome.result().infiniteWidthKernel().distanceInit()).isNull();
        assertThat(outcome.kernelInfinite()).isNull();
        assertThat(MemoryEstimate.of(spec).infiniteWidthKernel()).isZero();
    }
}
