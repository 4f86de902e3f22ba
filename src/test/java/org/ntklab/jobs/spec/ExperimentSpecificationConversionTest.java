package org.ntklab.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.data.DataGenerator;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.GeneratorParameters;
import org.ntklab.core.experiment.ExperimentResult;
import org.ntklab.core.experiment.ExperimentRunner;
import org.ntklab.core.experiment.ExperimentSpec;
import org.ntklab.core.experiment.HessianProbe;
import org.ntklab.core.experiment.HessianSchedule;
import org.ntklab.core.experiment.LearningRate;
import org.ntklab.core.experiment.MeasurementSpec;
import org.ntklab.core.experiment.MemoryEstimate;
import org.ntklab.core.experiment.TrainingSpec;
import org.ntklab.core.experiment.TrajectoryPoint;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.spectral.Reorthogonalization;
import org.ntklab.core.train.Loss;
import org.ntklab.core.train.ProgressListener;
import tools.jackson.databind.json.JsonMapper;

class ExperimentSpecificationConversionTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static ExperimentSpecification read(String singleQuoted) {
        return MAPPER.readValue(singleQuoted.replace('\'', '"'), ExperimentSpecification.class);
    }

    @Test
    void theDefaultsBecomeTheCoreDefaults() {
        ExperimentSpec core = ExperimentSpecification.defaults().toCore();
        assertThat(core.architecture()).isEqualTo(Architecture.of(10, new int[] {256}, 1, Activation.TANH,
                OutputMap.LINEAR, Parameterization.NTK, true, Init.GAUSSIAN));
        assertThat(core.dtype()).isEqualTo(DataType.DOUBLE);
        assertThat(core.seed()).isZero();
        assertSameData(core.data(), DataGenerator.SPHERE.generate(DataGenerator.SPHERE.defaults(20, 10, 1, 0)));
        assertThat(core.training()).isEqualTo(new TrainingSpec(new LearningRate.Auto(0.5), 1000, 0.0,
                Loss.SQUARED_ERROR));
        assertThat(core.measurements()).isEqualTo(new MeasurementSpec(50, MeasurementSpec.defaultProbes(20),
                HessianSchedule.INIT_AND_END, LanczosOptions.defaults(0).withReorthogonalization(Reorthogonalization.PARTIAL),
                true));
    }

    @Test
    void everyFieldReachesTheCore() {
        ExperimentSpec core = read("""
                {'seed': 9, 'dtype': 'float32',
                 'network': {'hiddenWidths': [6, 5], 'activation': 'erf', 'outputMap': 'softmax', 'outputDim': 3,
                             'trainHiddenLayers': false, 'parameterization': 'standard', 'outputInit': 'rademacher'},
                 'data': {'generator': 'gaussian-mixture', 'n': 7, 'inputDim': 2, 'noise': 0.3, 'separation': 1.5},
                 'training': {'learningRate': 0.05, 'steps': 12, 'lossTarget': -1, 'loss': 'cross-entropy'},
                 'measurements': {'kernelEvery': 4, 'hessianProbes': [{'index': 6, 'output': 2}], 'hessianAt': 'init',
                                  'lanczosMaxIter': 17, 'lanczosTol': 1e-9, 'linearizationError': false}}
                """).toCore();
        assertThat(core.architecture()).isEqualTo(new Architecture(2, new int[] {6, 5}, 3, Activation.ERF,
                OutputMap.SOFTMAX, Parameterization.STANDARD, new boolean[] {false, false, true}, Init.RADEMACHER));
        assertThat(core.dtype()).isEqualTo(DataType.FLOAT);
        assertThat(core.seed()).isEqualTo(9);
        assertSameData(core.data(), DataGenerator.GAUSSIAN_MIXTURE.generate(
                new GeneratorParameters(7, 2, 3, 9, DataType.FLOAT, 0.3, 1.5)));
        assertThat(core.training()).isEqualTo(new TrainingSpec(new LearningRate.Fixed(0.05), 12, -1,
                Loss.CROSS_ENTROPY));
        assertThat(core.measurements()).isEqualTo(new MeasurementSpec(4, List.of(new HessianProbe(6, 2)),
                HessianSchedule.INIT, new LanczosOptions(17, 1e-9, LanczosOptions.DEFAULT_MAX_BASIS_BYTES, 9,
                Reorthogonalization.PARTIAL), false));
    }

    @Test
    void aFrozenOutputLayerLeavesTheHiddenLayersTrainable() {
        ExperimentSpec core = read("{'network': {'hiddenWidths': [4, 4, 4], 'trainOutputLayer': false}}").toCore();
        assertThat(core.architecture().trainable()).containsExactly(true, true, true, false);
        assertThat(core.architecture().parameterCount()).isEqualTo(10 * 4 + 4 * 4 + 4 * 4);
    }

    @Test
    void suppliedDataIsCopiedInTheChosenType() {
        double[][] x = {{0.1, 0.2}, {0.3, 0.4}, {0.5, 0.6}};
        double[][] y = {{1.0}, {-1.0}, {0.5}};
        ExperimentSpecification spec = new ExperimentSpecification(null, null, null,
                ExperimentSpecification.Dtype.FLOAT32, null, DataSpec.supplied(x, y), null, null);
        ExperimentSpec core = spec.toCore();
        assertThat(core.architecture().inputDim()).isEqualTo(2);
        assertThat(core.architecture().outputDim()).isEqualTo(1);
        assertSameData(core.data(), Dataset.of(x, y, DataType.FLOAT));
        assertThat(core.measurements().probes()).containsExactly(new HessianProbe(0, 0), new HessianProbe(1, 0),
                new HessianProbe(2, 0));
    }

    @Test
    void anInvalidSpecIsRefusedWithItsViolations() {
        ExperimentSpecification spec = read("{'network': {'hiddenWidths': [0]}, 'training': {'steps': -1}}");
        assertThatThrownBy(spec::toCore).isInstanceOfSatisfying(InvalidSpecificationException.class,
                e -> assertThat(e.violations()).extracting(Violation::field)
                        .containsExactly("network.hiddenWidths[0]", "training.steps"))
                .hasMessageContaining("training.steps: must be in [0, ");
        assertThatThrownBy(spec::memoryEstimate).isInstanceOf(InvalidSpecificationException.class);
    }

    @Test
    void theStoredSpecConvertsLikeTheRequest() {
        ExperimentSpecification request = read("{'seed': 3, 'data': {'x': [[1, 2]], 'y': [[0.5]]}, "
                + "'training': {'learningRate': {'auto': 1.0}}}");
        ExperimentSpecification stored = MAPPER.readValue(MAPPER.writeValueAsString(request.withDefaults()),
                ExperimentSpecification.class);
        ExperimentSpec a = request.toCore();
        ExperimentSpec b = stored.toCore();
        assertThat(b.architecture()).isEqualTo(a.architecture());
        assertThat(b.training()).isEqualTo(a.training());
        assertThat(b.measurements()).isEqualTo(a.measurements());
        assertSameData(b.data(), a.data());
    }

    @Test
    void theMemoryEstimateIsTheCoreEstimateOfTheConvertedSpec() {
        ExperimentSpecification spec = read("{'network': {'hiddenWidths': [32, 16]}, 'data': {'n': 12}}");
        assertThat(spec.memoryEstimate()).isEqualTo(MemoryEstimate.of(spec.toCore()));
    }

    @Test
    void everyCoreEnumConstantIsReachable() {
        assertCovers(NetworkSpec.Activation.values(), NetworkSpec.Activation::toCore, Activation.values());
        assertCovers(NetworkSpec.OutputMap.values(), NetworkSpec.OutputMap::toCore, OutputMap.values());
        assertCovers(NetworkSpec.Parameterization.values(), NetworkSpec.Parameterization::toCore,
                Parameterization.values());
        assertCovers(NetworkSpec.OutputInit.values(), NetworkSpec.OutputInit::toCore, Init.values());
        // images draws from ImageGenerator, not a DataGenerator constant
        assertCovers(Arrays.stream(DataSpec.Generator.values()).filter(g -> g != DataSpec.Generator.IMAGES)
                .toArray(DataSpec.Generator[]::new), DataSpec.Generator::toCore, DataGenerator.values());
        assertCovers(TrainingSettings.Loss.values(), TrainingSettings.Loss::toCore, Loss.values());
        assertCovers(MeasurementSettings.HessianAt.values(), MeasurementSettings.HessianAt::toCore,
                HessianSchedule.values());
        assertCovers(ExperimentSpecification.Dtype.values(), ExperimentSpecification.Dtype::toCore,
                new DataType[] {DataType.DOUBLE, DataType.FLOAT});
    }

    @Test
    void aTinyDefaultedSpecRunsEndToEnd() {
        ExperimentSpecification spec = read("""
                {'network': {'hiddenWidths': [8]}, 'data': {'n': 5, 'inputDim': 3}, 'training': {'steps': 3},
                 'measurements': {'kernelEvery': 2, 'lanczosMaxIter': 40}}
                """).withDefaults();
        assertThat(spec.validate(Limits.defaults())).isEmpty();
        ExperimentResult result = new ExperimentRunner().run(spec.toCore(), ProgressListener.NONE, () -> false).result();
        assertThat(result.steps()).isEqualTo(3);
        assertThat(result.parameterCount()).isEqualTo(3 * 8 + 8);
        assertThat(result.trajectory()).extracting(TrajectoryPoint::step).containsExactly(0, 2, 3);
        assertThat(result.hessianInit().probes()).hasSize(4);
        assertThat(result.hessianEnd().probes()).hasSize(4);
        assertThat(result.linearizationError()).isNotNull();
        assertThat(result.finalLoss()).isLessThan(result.initialLoss());
    }

    private static <S, C> void assertCovers(S[] spec, Function<S, C> toCore, C[] core) {
        assertThat(Arrays.stream(spec).map(toCore).toList()).containsExactlyInAnyOrder(core);
    }

    private static void assertSameData(Dataset actual, Dataset expected) {
        assertThat(actual.dataType()).isEqualTo(expected.dataType());
        assertThat(actual.x().toDoubleMatrix()).isDeepEqualTo(expected.x().toDoubleMatrix());
        assertThat(actual.y().toDoubleMatrix()).isDeepEqualTo(expected.y().toDoubleMatrix());
    }
}
