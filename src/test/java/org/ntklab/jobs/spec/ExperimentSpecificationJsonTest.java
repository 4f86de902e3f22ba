package org.ntklab.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ExperimentSpecificationJsonTest {

    private final JsonMapper mapper = JsonMapper.builder().build();

    private ExperimentSpecification read(String json) {
        return mapper.readValue(json, ExperimentSpecification.class);
    }

    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    @Test
    void readsEveryFieldOfTheContract() {
        ExperimentSpecification s = read(q("""
                {'name': 'wide', 'tags': {'sweep': 'a'}, 'seed': 7, 'dtype': 'float32',
                 'network': {'hiddenWidths': [64, 8, 64], 'activation': 'gelu', 'outputMap': 'softmax', 'outputDim': 3,
                             'trainOutputLayer': false, 'trainHiddenLayers': true, 'parameterization': 'standard',
                             'outputInit': 'rademacher'},
                 'data': {'generator': 'gaussian-mixture', 'n': 30, 'inputDim': 4, 'noise': 0.5, 'separation': 2},
                 'training': {'learningRate': {'auto': 0.25}, 'steps': 10, 'lossTarget': 0.01, 'loss': 'cross-entropy'},
                 'measurements': {'kernelEvery': 5, 'hessianProbes': [{'index': 2, 'output': 1}], 'hessianAt': 'every-record',
                                  'lanczosMaxIter': 30, 'lanczosTol': 1e-8, 'linearizationError': false,
                                  'infiniteWidthKernel': true}}
                """));
        assertThat(s).isEqualTo(new ExperimentSpecification("wide", Map.of("sweep", "a"), 7L,
                ExperimentSpecification.Dtype.FLOAT32,
                new NetworkSpec(List.of(64, 8, 64), NetworkSpec.Activation.GELU, NetworkSpec.OutputMap.SOFTMAX, 3, false,
                        true, NetworkSpec.Parameterization.STANDARD, NetworkSpec.OutputInit.RADEMACHER),
                new DataSpec(DataSpec.Generator.GAUSSIAN_MIXTURE, 30, 4, 0.5, 2.0, null, null, null, null, null),
                new TrainingSettings(new LearningRateSetting.Auto(0.25), 10, 0.01, TrainingSettings.Loss.CROSS_ENTROPY),
                new MeasurementSettings(5, List.of(new ProbeSpec(2, 1)), MeasurementSettings.HessianAt.EVERY_RECORD,
                        30, 1e-8, false, true)));
        assertThat(s.withDefaults()).isEqualTo(s);
    }

    @Test
    void aBareIndexIsShorthandForAProbeOfOutputZero() {
        ExperimentSpecification s = read(q("""
                {'measurements': {'hessianProbes': [3, {'index': 5}, {'index': 2, 'output': 1}]}}"""));
        assertThat(s.measurements().hessianProbes())
                .containsExactly(new ProbeSpec(3, null), new ProbeSpec(5, null), new ProbeSpec(2, 1));
        assertThat(s.withDefaults().measurements().hessianProbes())
                .containsExactly(new ProbeSpec(3, 0), new ProbeSpec(5, 0), new ProbeSpec(2, 1));
        // written back in the one canonical form, the object
        assertThat(mapper.writeValueAsString(s.measurements().hessianProbes()))
                .isEqualTo(q("[{'index':3},{'index':5},{'index':2,'output':1}]"));
    }

    @Test
    void aProbeThatIsNeitherAnIntegerNorAProbeObjectIsRefusedWithItsPath() {
        // the service's settings (application.yml): unknown fields and fractional integers are errors
        JsonMapper service = JsonMapper.builder()
                .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(tools.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT).build();
        for (String probe : List.of("1.5", "true", "[0]", "{'index': 0, 'outptu': 1}")) {
            assertThatThrownBy(() -> service.readValue(q("{'measurements': {'hessianProbes': [0, " + probe + "]}}"), ExperimentSpecification.class))
                    .as(probe).isInstanceOf(DatabindException.class)
                    .satisfies(e -> assertThat(org.ntklab.jobs.JsonErrors.path((DatabindException) e))
                            .startsWith("measurements.hessianProbes[1]"));
        }
    }

    @Test
    void anEmptyBodyGetsEveryDefault() {
        ExperimentSpecification s = read("{}").withDefaults();
        assertThat(s).isEqualTo(ExperimentSpecification.defaults());
        assertThat(s.name()).isEqualTo("experiment");
        assertThat(s.tags()).isEmpty();
        assertThat(s.seed()).isZero();
        assertThat(s.dtype()).isEqualTo(ExperimentSpecification.Dtype.FLOAT64);
        assertThat(s.network()).isEqualTo(new NetworkSpec(List.of(256), NetworkSpec.Activation.TANH,
                NetworkSpec.OutputMap.LINEAR, 1, true, true, NetworkSpec.Parameterization.NTK,
                NetworkSpec.OutputInit.GAUSSIAN));
        assertThat(s.data()).isEqualTo(new DataSpec(DataSpec.Generator.SPHERE, 20, 10, 0.0, 3.0, null, null, null, null, null));
        assertThat(s.training()).isEqualTo(new TrainingSettings(new LearningRateSetting.Auto(0.5), 1000, 0.0,
                TrainingSettings.Loss.SQUARED_ERROR));
        assertThat(s.measurements()).isEqualTo(new MeasurementSettings(50,
                List.of(new ProbeSpec(0, 0), new ProbeSpec(1, 0), new ProbeSpec(2, 0), new ProbeSpec(3, 0)),
                MeasurementSettings.HessianAt.INIT_AND_END, 100, 1e-6, true));
    }

    @Test
    void defaultsDependOnTheData() {
        ExperimentSpecification mixture = read(q("{'data': {'generator': 'gaussian-mixture', 'n': 3}}")).withDefaults();
        assertThat(mixture.network().outputDim()).isEqualTo(2);
        assertThat(mixture.data().noise()).isEqualTo(1.0);
        assertThat(mixture.measurements().hessianProbes()).containsExactly(new ProbeSpec(0, 0), new ProbeSpec(1, 0),
                new ProbeSpec(2, 0));

        ExperimentSpecification line = read(q("{'data': {'generator': 'line'}}")).withDefaults();
        assertThat(line.data().inputDim()).isEqualTo(1);
        assertThat(line.network().outputDim()).isEqualTo(1);

        ExperimentSpecification supplied = read(q("{'data': {'x': [[1, 2], [3, 4]], 'y': [[1, 0, 0], [0, 1, 0]]}}"))
                .withDefaults();
        assertThat(supplied.network().outputDim()).isEqualTo(3);
        assertThat(supplied.data().generator()).isNull();
        assertThat(supplied.measurements().hessianProbes()).containsExactly(new ProbeSpec(0, 0), new ProbeSpec(1, 0));

        ExperimentSpecification probe = read(q("{'measurements': {'hessianProbes': [{'index': 5}]}}")).withDefaults();
        assertThat(probe.measurements().hessianProbes()).containsExactly(new ProbeSpec(5, 0));
    }

    @Test
    void theStoredSpecRoundTripsAndOmitsTheOtherDataForm() {
        ExperimentSpecification generated = ExperimentSpecification.defaults();
        String json = mapper.writeValueAsString(generated);
        assertThat(read(json)).isEqualTo(generated);
        JsonNode tree = mapper.readTree(json);
        assertThat(tree.get("dtype").asString()).isEqualTo("float64");
        assertThat(tree.get("network").get("activation").asString()).isEqualTo("tanh");
        assertThat(tree.get("data").get("generator").asString()).isEqualTo("sphere");
        assertThat(tree.get("data").has("x")).isFalse();
        assertThat(tree.get("training").get("learningRate").get("auto").asDouble()).isEqualTo(0.5);
        assertThat(tree.get("training").get("loss").asString()).isEqualTo("squared-error");
        assertThat(tree.get("measurements").get("hessianAt").asString()).isEqualTo("init-and-end");

        ExperimentSpecification supplied = read(q("""
                {'data': {'x': [[0.5], [-1e-3]], 'y': [[1], [2]]}, 'training': {'learningRate': 0.1}}
                """)).withDefaults();
        String suppliedJson = mapper.writeValueAsString(supplied);
        assertThat(read(suppliedJson)).isEqualTo(supplied);
        JsonNode suppliedTree = mapper.readTree(suppliedJson);
        assertThat(suppliedTree.get("data").has("generator")).isFalse();
        assertThat(suppliedTree.get("data").get("x").get(1).get(0).asDouble()).isEqualTo(-1e-3);
        assertThat(suppliedTree.get("training").get("learningRate").isNumber()).isTrue();
    }

    @Test
    void learningRateIsANumberOrAuto() {
        assertThat(read(q("{'training': {'learningRate': 0.1}}")).training().learningRate())
                .isEqualTo(new LearningRateSetting.Fixed(0.1));
        assertThat(read(q("{'training': {'learningRate': 2}}")).training().learningRate())
                .isEqualTo(new LearningRateSetting.Fixed(2.0));
        assertThat(read(q("{'training': {'learningRate': {'auto': 1.5}}}")).training().learningRate())
                .isEqualTo(new LearningRateSetting.Auto(1.5));
        assertThat(mapper.writeValueAsString(new LearningRateSetting.Fixed(0.25))).isEqualTo("0.25");
        assertThat(mapper.writeValueAsString(new LearningRateSetting.Auto(0.5))).isEqualTo(q("{'auto':0.5}"));
        for (String bad : List.of("'fast'", "{'auto': 'x'}", "{'eta': 0.5}", "{'auto': 0.5, 'x': 1}", "[0.1]")) {
            assertThatThrownBy(() -> read(q("{'training': {'learningRate': " + bad + "}}")))
                    .as(bad).isInstanceOf(DatabindException.class)
                    .hasMessageContaining("learningRate must be a number or {\"auto\": <number>}");
        }
    }

    @Test
    void enumsAcceptAnyCaseAndTheConstantNames() {
        assertThat(read(q("{'network': {'activation': 'TANH'}}")).network().activation())
                .isEqualTo(NetworkSpec.Activation.TANH);
        assertThat(read(q("{'network': {'activation': 'Softplus'}}")).network().activation())
                .isEqualTo(NetworkSpec.Activation.SOFTPLUS);
        assertThat(read(q("{'data': {'generator': 'GAUSSIAN_MIXTURE'}}")).data().generator())
                .isEqualTo(DataSpec.Generator.GAUSSIAN_MIXTURE);
        assertThat(read(q("{'training': {'loss': 'Cross-Entropy'}}")).training().loss())
                .isEqualTo(TrainingSettings.Loss.CROSS_ENTROPY);
        assertThat(read(q("{'dtype': 'FLOAT32'}")).dtype()).isEqualTo(ExperimentSpecification.Dtype.FLOAT32);
    }

    @Test
    void anUnknownEnumValueNamesTheAllowedOnes() {
        assertThatThrownBy(() -> read(q("{'network': {'activation': 'leaky-relu'}}")))
                .isInstanceOf(DatabindException.class)
                .hasRootCauseInstanceOf(UnknownValueException.class)
                .rootCause().hasMessage("unknown activation 'leaky-relu'; allowed values: identity, tanh, sigmoid, "
                        + "swish, softplus, gelu, erf, relu");
        assertThatThrownBy(() -> read(q("{'measurements': {'hessianAt': 'never'}}")))
                .rootCause().isInstanceOf(UnknownValueException.class)
                .hasMessageContaining("allowed values: init, init-and-end, every-record");
        UnknownValueException e = (UnknownValueException) org.assertj.core.api.Assertions.catchThrowable(
                () -> DataSpec.Generator.parse("cube"));
        assertThat(e.value()).isEqualTo("cube");
        assertThat(e.allowed()).containsExactly("sphere", "line", "gaussian-mixture", "images");
    }

    @Test
    void enumsWriteKebabCase() {
        assertThat(mapper.writeValueAsString(DataSpec.Generator.GAUSSIAN_MIXTURE)).isEqualTo("\"gaussian-mixture\"");
        assertThat(mapper.writeValueAsString(MeasurementSettings.HessianAt.EVERY_RECORD)).isEqualTo("\"every-record\"");
        assertThat(mapper.writeValueAsString(ExperimentSpecification.Dtype.FLOAT32)).isEqualTo("\"float32\"");
    }
}
