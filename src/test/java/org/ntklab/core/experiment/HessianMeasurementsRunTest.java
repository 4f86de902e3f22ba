package org.ntklab.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.data.DataGenerator;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.ImageGenerator;
import org.ntklab.core.layers.Conv2d;
import org.ntklab.core.layers.ConvArchitecture;
import org.ntklab.core.model.LayeredSpec;
import org.ntklab.core.model.MlpSpec;
import org.ntklab.core.model.ModelSpec;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.train.Loss;
import org.ntklab.core.train.ProgressListener;

/** The Hessian's structure and the loss Hessian through {@link ExperimentRunner}, on both engines. */
class HessianMeasurementsRunTest {

    /** Lanczos to 1e-10: a block's norm is at most the whole Hessian's up to the Ritz value's error. */
    private static final double NORM_SLACK = 1e-8;

    private static ExperimentSpec spec(ModelSpec model, Dataset data, HessianSchedule at) {
        MeasurementSpec m = new MeasurementSpec(2, List.of(new HessianProbe(0, 0), new HessianProbe(1, 0)), at,
                LanczosOptions.defaults(3).withTolerance(1e-10), false)
                .withStructure(true, 8, new DensitySpec(2, 6, 40, null), true);
        return new ExperimentSpec(model, DataType.DOUBLE, 3, data,
                new TrainingSpec(new LearningRate.Auto(0.5), 4, -1, Loss.SQUARED_ERROR), m);
    }

    private static void assertProbesCarryStructure(HessianSummary summary, int layers) {
        assertThat(summary.probes()).allSatisfy(p -> {
            assertThat(p.blocks()).hasSize(layers * (layers + 1) / 2);
            assertThat(p.blocks()).allSatisfy(b -> {
                assertThat(b.converged()).isTrue();
                assertThat(b.norm()).isLessThanOrEqualTo(p.norm() * (1 + NORM_SLACK));
            });
            assertThat(p.trace().samples()).isEqualTo(8);
            assertThat(p.density().nodes()).hasSize(2);
            assertThat(p.density().grid()).hasSize(40);
            // every node lies in [lambda_min, lambda_max] of the same Hessian (Ritz values interlace)
            for (double[] theta : p.density().nodes()) {
                for (double t : theta) {
                    assertThat(t).isBetween(p.lambdaMin() - NORM_SLACK * p.norm(), p.lambdaMax() + NORM_SLACK * p.norm());
                }
            }
        });
    }

    @Test
    void aDenseNetworkReportsBlocksTraceDensityAndTheLossHessianAtEveryRecord() {
        Architecture arch = Architecture.of(3, new int[] {6, 5, 4}, 1, Activation.TANH, OutputMap.SWISH,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Dataset data = DataGenerator.SPHERE.generate(DataGenerator.SPHERE.defaults(5, 3, 1, 2));
        ExperimentSpec spec = spec(new MlpSpec(arch), data, HessianSchedule.EVERY_RECORD);
        ExperimentResult r = new ExperimentRunner().run(spec, ProgressListener.NONE, () -> false).result();
        assertProbesCarryStructure(r.hessianInit(), 4);
        assertProbesCarryStructure(r.hessianEnd(), 4);
        assertThat(r.trajectory()).allSatisfy(t -> assertProbesCarryStructure(t.hessian(), 4));
        assertThat(r.lossHessianInit().converged()).isTrue();
        assertThat(r.lossHessianInit().gaussNewtonLambdaMax())
                .isCloseTo(r.kernelSpectrumInit().lambdaMax() / 5, within(1e-15));
        assertThat(r.lossHessianEnd().gaussNewtonLambdaMax())
                .isCloseTo(r.kernelSpectrumEnd().lambdaMax() / 5, within(1e-15));
        assertThat(r.lossHessianEnd().lambdaMax()).isNotEqualTo(r.lossHessianInit().lambdaMax());
        // the estimate counts what these measurements add
        MemoryEstimate plain = MemoryEstimate.of(new ExperimentSpec(new MlpSpec(arch), DataType.DOUBLE, 3, data,
                spec.training(), new MeasurementSpec(2, spec.measurements().probes(), HessianSchedule.EVERY_RECORD,
                        spec.measurements().lanczos(), false)));
        assertThat(MemoryEstimate.of(spec).total()).isGreaterThan(plain.total());
    }

    @Test
    void aConvolutionalNetworkGetsTheSameMeasurements() {
        ConvArchitecture cnn = new ConvArchitecture(ConvArchitecture.Kind.CNN, new int[] {1, 4, 4}, new int[] {3}, 3,
                1, Conv2d.Padding.SAME, 0, null, ConvArchitecture.Pooling.AVERAGE, Activation.SOFTPLUS,
                OutputMap.LINEAR, 1, Parameterization.NTK);
        Dataset data = ImageGenerator.generate(4, 1, 4, 4, 1, 6, DataType.DOUBLE);
        ExperimentResult r = new ExperimentRunner().run(spec(new LayeredSpec(cnn), data, HessianSchedule.INIT_AND_END),
                ProgressListener.NONE, () -> false).result();
        assertProbesCarryStructure(r.hessianInit(), 2);
        assertProbesCarryStructure(r.hessianEnd(), 2);
        assertThat(r.lossHessianInit()).isNotNull();
        assertThat(r.lossHessianEnd()).isNotNull();
    }
}
