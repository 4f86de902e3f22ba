package org.ntklab.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

class ExperimentSpecificationValidationTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static ExperimentSpecification read(String singleQuoted) {
        return MAPPER.readValue(singleQuoted.replace('\'', '"'), ExperimentSpecification.class);
    }

    private static Arguments rule(String json, String field) {
        return Arguments.of(json, field);
    }

    static Stream<Arguments> oneRuleBroken() {
        return Stream.of(
                rule("{'name': '  '}", "name"),
                rule("{'name': '" + "n".repeat(201) + "'}", "name"),
                rule("{'network': {'hiddenWidths': []}}", "network.hiddenWidths"),
                rule("{'network': {'hiddenWidths': [16, 0]}}", "network.hiddenWidths[1]"),
                rule("{'network': {'hiddenWidths': [16, null]}}", "network.hiddenWidths[1]"),
                rule("{'network': {'hiddenWidths': [1000001]}}", "network.hiddenWidths[0]"),
                rule("{'network': {'hiddenWidths': [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}}", "network.hiddenWidths"),
                rule("{'network': {'hiddenWidths': [100000, 1000]}}", "network.hiddenWidths"),
                rule("{'network': {'hiddenWidths': [10000, 10000], 'trainHiddenLayers': false}}", "network.hiddenWidths"),
                rule("{'network': {'trainHiddenLayers': false, 'trainOutputLayer': false}}", "network"),
                rule("{'network': {'outputDim': 0}}", "network.outputDim"),
                rule("{'network': {'outputDim': 1001}}", "network.outputDim"),
                rule("{'network': {'outputMap': 'softmax'}}", "network.outputDim"),
                rule("{'network': {'outputDim': 1}, 'data': {'generator': 'gaussian-mixture'}}", "network.outputDim"),
                rule("{'network': {'outputDim': 2}, 'data': {'x': [[1], [2]], 'y': [[1], [0]]}}", "network.outputDim"),
                rule("{'data': {'n': 0}}", "data.n"),
                rule("{'data': {'generator': 'line', 'inputDim': 1, 'n': 1}}", "data.n"),
                rule("{'data': {'x': [[0, 0], [-0.0, 0]], 'y': [[1], [2]]}}", "data.x"),
                rule("{'name': 'a\\u0000b'}", "name"),
                rule("{'tags': {'k': 'v\\u0000'}}", "tags"),
                rule("{'data': {'n': 50000, 'inputDim': 1}, 'network': {'hiddenWidths': [4]}}", "data.n"),
                rule("{'data': {'generator': 'line', 'inputDim': 3}}", "data.inputDim"),
                rule("{'data': {'inputDim': 0}}", "data.inputDim"),
                rule("{'data': {'noise': -0.1}}", "data.noise"),
                rule("{'data': {'separation': -1}}", "data.separation"),
                rule("{'data': {'x': [[1, 2], [3]], 'y': [[1], [2]]}}", "data.x[1]"),
                rule("{'data': {'x': [[1, 2], null], 'y': [[1], [2]]}}", "data.x[1]"),
                rule("{'data': {'x': [[1, 2], [3, 'NaN']], 'y': [[1], [2]]}}", "data.x[1][1]"),
                rule("{'data': {'x': [[1], [2]], 'y': [[1], ['-Infinity']]}}", "data.y[1][0]"),
                rule("{'data': {'x': [[1], [2]], 'y': [[1]]}}", "data.y"),
                rule("{'data': {'x': [[1], [1e308]], 'y': [[1], [2]]}}", "data.x[1][0]"),
                rule("{'data': {'x': [[1], [2]], 'y': [[-1e300], [2]]}}", "data.y[0][0]"),
                rule("{'dtype': 'float32', 'data': {'x': [[1], [1e8]], 'y': [[1], [2]]}}", "data.x[1][0]"),
                rule("{'data': {'separation': 1e300}}", "data.separation"),
                rule("{'data': {'noise': 1e300}}", "data.noise"),
                rule("{'data': {'x': [[1], [2]]}}", "data.y"),
                rule("{'data': {'y': [[1], [2]]}}", "data.x"),
                rule("{'data': {'x': [], 'y': []}, 'measurements': {'hessianProbes': []}}", "data.x"),
                rule("{'data': {'x': [[]], 'y': [[1]]}}", "data.x[0]"),
                rule("{'data': {'x': [[1]], 'y': [[]]}}", "data.y[0]"),
                rule("{'data': {'generator': 'sphere', 'x': [[1]], 'y': [[1]]}}", "data"),
                rule("{'training': {'learningRate': 0}}", "training.learningRate"),
                rule("{'training': {'learningRate': -0.5}}", "training.learningRate"),
                rule("{'training': {'learningRate': {'auto': 0}}}", "training.learningRate.auto"),
                rule("{'training': {'learningRate': {'auto': 100.5}}}", "training.learningRate.auto"),
                rule("{'training': {'steps': -1}}", "training.steps"),
                rule("{'training': {'steps': 100001}}", "training.steps"),
                rule("{'training': {'loss': 'cross-entropy'}}", "training.loss"),
                rule("{'measurements': {'kernelEvery': 0}}", "measurements.kernelEvery"),
                rule("{'measurements': {'hessianProbes': [{'index': 20}]}}", "measurements.hessianProbes[0].index"),
                rule("{'measurements': {'hessianProbes': [{'index': -1}]}}", "measurements.hessianProbes[0].index"),
                rule("{'measurements': {'hessianProbes': [{'output': 0}]}}", "measurements.hessianProbes[0].index"),
                rule("{'measurements': {'hessianProbes': [{'index': 0, 'output': 1}]}}",
                        "measurements.hessianProbes[0].output"),
                rule("{'measurements': {'hessianProbes': [{'index': 3}, {'index': 3, 'output': 0}]}}",
                        "measurements.hessianProbes[1]"),
                rule("{'measurements': {'hessianProbes': [null]}}", "measurements.hessianProbes[0]"),
                rule("{'measurements': {'lanczosMaxIter': 0}}", "measurements.lanczosMaxIter"),
                rule("{'measurements': {'lanczosMaxIter': 1001}}", "measurements.lanczosMaxIter"),
                rule("{'measurements': {'lanczosTol': 0}}", "measurements.lanczosTol"),
                rule("{'measurements': {'lanczosTol': 1}}", "measurements.lanczosTol"),
                // about 2 L n^2 / 2 quadratures of 5 ms: n = 400 through 2 tanh layers is about 800 s
                rule("{'data': {'n': 400, 'inputDim': 2}, 'network': {'hiddenWidths': [8, 8]}, "
                        + "'measurements': {'hessianProbes': [], 'infiniteWidthKernel': true}}",
                        "measurements.infiniteWidthKernel"),
                // 4 probes x 10^4 trace samples at init and end of 9 10^6 weights: about 7200 s
                rule("{'network': {'hiddenWidths': [3000, 3000]}, 'measurements': {'hessianTrace': {'samples': 10000}}}",
                        "measurements"));
    }

    @ParameterizedTest
    @MethodSource("oneRuleBroken")
    void eachRuleReportsOneViolationAtItsField(String json, String field) {
        List<Violation> violations = read(json).validate(Limits.defaults());
        assertThat(violations).as(json).hasSize(1);
        assertThat(violations.get(0).field()).isEqualTo(field);
        assertThat(violations.get(0).message()).isNotBlank();
    }

    @Test
    void theDefaultsAndTheEdgesOfEachRangeAreValid() {
        assertThat(ExperimentSpecification.defaults().validate(Limits.defaults())).isEmpty();
        assertThat(read("""
                {'network': {'hiddenWidths': [1], 'outputMap': 'softmax', 'outputDim': 2, 'trainHiddenLayers': false},
                 'data': {'generator': 'line', 'inputDim': 1, 'n': 2, 'noise': 0, 'separation': 0},
                 'training': {'learningRate': {'auto': 100}, 'steps': 100000, 'lossTarget': -1, 'loss': 'cross-entropy'},
                 'measurements': {'kernelEvery': 1, 'hessianProbes': [{'index': 0, 'output': 1}], 'lanczosMaxIter': 1000,
                                  'lanczosTol': 0.999}}
                """).validate(Limits.defaults())).isEmpty();
    }

    /**
     * The infinite-width kernel's time check applies where it is computed by quadrature: closed
     * forms (relu) and undefined cases (a swish output: only a reason is reported) pass.
     */
    @Test
    void theInfiniteWidthKernelIsRefusedOnlyWhereItsQuadratureWouldTakeTooLong() {
        String many = "'data': {'n': 400, 'inputDim': 2}, 'measurements': {'hessianProbes': [], 'infiniteWidthKernel': true}";
        assertThat(read("{" + many + ", 'network': {'hiddenWidths': [8, 8], 'activation': 'relu'}}")
                .validate(Limits.defaults())).isEmpty();
        assertThat(read("{" + many + ", 'network': {'hiddenWidths': [8, 8], 'outputMap': 'swish'}}")
                .validate(Limits.defaults())).isEmpty();
        assertThat(read("{" + many + ", 'network': {'hiddenWidths': [8]}}").validate(Limits.defaults())).isEmpty();
        List<Violation> slow = read("{" + many + ", 'network': {'hiddenWidths': [8, 8]}}").validate(Limits.defaults());
        assertThat(slow).singleElement().satisfies(v -> assertThat(v.message()).contains("400 inputs", "tanh", "600 s"));
    }

    @Test
    void theHessianMeasurementsAreRefusedOnlyWhereTheyWouldTakeTooLong() {
        String net = "'network': {'hiddenWidths': [3000, 3000]}";
        assertThat(read("{" + net + ", 'measurements': {'hessianTrace': {'samples': 100}, 'hessianBlocks': true}}")
                .validate(Limits.defaults())).isEmpty();
        assertThat(read("{" + net + ", 'measurements': {'hessianTrace': {'samples': 10000}, 'hessianAt': 'init', "
                + "'hessianProbes': [0]}}").validate(Limits.defaults())).isEmpty();
        List<Violation> slow = read("{" + net + ", 'measurements': {'hessianTrace': {'samples': 10000}}}")
                .validate(Limits.defaults());
        assertThat(slow).singleElement().satisfies(v -> assertThat(v.message()).contains("3600 s", " weights)"));
    }

    /** Steps and Lanczos iterations within the tight limits below. */
    private static final String SMALL = "'training': {'steps': 1}, 'measurements': {'lanczosMaxIter': 2}}";

    @Test
    void limitsComeFromTheCaller() {
        Limits tight = new Limits(10, 8, 2, 100, 1000, 5, 3, 2);
        List<Violation> violations = read("""
                {'network': {'hiddenWidths': [9, 8, 8], 'outputDim': 4},
                 'data': {'n': 20, 'inputDim': 10},
                 'training': {'steps': 11},
                 'measurements': {'lanczosMaxIter': 6, 'hessianProbes': [{'index': 0}, {'index': 1}, {'index': 2}]}}
                """).validate(tight);
        assertThat(violations).extracting(Violation::field).containsExactly("network.hiddenWidths",
                "network.hiddenWidths[0]", "network.outputDim", "data.n", "training.steps",
                "measurements.hessianProbes", "measurements.lanczosMaxIter");
        // each names the setting that configures it, for the problem detail
        assertThat(violations).extracting(Violation::limit).containsExactly("ntklab.limits.max-depth",
                "ntklab.limits.max-width", "ntklab.limits.max-outputs", "ntklab.limits.max-input-values",
                "ntklab.limits.max-steps", "ntklab.limits.max-probes", "ntklab.limits.max-lanczos-iterations");
        assertThat(read("{'network': {'hiddenWidths': [30, 30]}, 'data': {'n': 2, 'inputDim': 10}, " + SMALL).validate(tight))
                .extracting(Violation::field, Violation::limit)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("network.hiddenWidths[0]", "ntklab.limits.max-width"),
                        org.assertj.core.groups.Tuple.tuple("network.hiddenWidths[1]", "ntklab.limits.max-width"));
        assertThat(read("{'network': {'hiddenWidths': [8, 8]}, 'data': {'n': 2, 'inputDim': 10}, " + SMALL)
                .validate(new Limits(10, 8, 2, 100, 100, 5, 3, 2))).extracting(Violation::limit)
                .containsExactly("ntklab.limits.max-parameters");
        assertThat(read("{'network': {'hiddenWidths': [0]}, 'training': {'steps': -1}}").validate(Limits.defaults()))
                .extracting(Violation::limit).containsOnlyNulls();
    }

    @Test
    void tagsAreBounded() {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 33; i++) {
            many.put("k" + i, "v");
        }
        assertThat(fields(withTags(many))).containsExactly("tags");
        assertThat(fields(withTags(Map.of("k", "v".repeat(101))))).containsExactly("tags.k");
        assertThat(fields(withTags(Map.of("k".repeat(101), "v")))).containsExactly("tags");
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThat(fields(withTags(nullValue))).containsExactly("tags.k");
        assertThat(fields(withTags(Map.of("k".repeat(100), "v".repeat(100))))).isEmpty();
    }

    @Test
    void aLossTargetMustBeFinite() {
        ExperimentSpecification s = new ExperimentSpecification(null, null, null, null, null, null,
                new TrainingSettings(null, null, Double.NaN, null), null);
        assertThat(fields(s)).containsExactly("training.lossTarget");
    }

    @Test
    void brokenArraysAreReportedOnceEach() {
        List<Violation> violations = read("{'data': {'x': [[1, 'NaN'], ['Infinity', 1]], 'y': [['NaN'], [1]]}}")
                .validate(Limits.defaults());
        assertThat(violations).containsExactly(new Violation("data.x[0][1]", "must be finite, got NaN"),
                new Violation("data.y[0][0]", "must be finite, got NaN"));
    }

    private static ExperimentSpecification withTags(Map<String, String> tags) {
        return new ExperimentSpecification(null, tags, null, null, null, null, null, null);
    }

    private static List<String> fields(ExperimentSpecification s) {
        return s.validate(Limits.defaults()).stream().map(Violation::field).toList();
    }
}
