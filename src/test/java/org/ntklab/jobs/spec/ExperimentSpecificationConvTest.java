package org.ntklab.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntklab.core.experiment.ExperimentSpec;
import org.ntklab.core.layers.ConvArchitecture;
import org.ntklab.core.model.LayeredSpec;
import tools.jackson.databind.json.JsonMapper;

/** The convolutional and residual forms of the contract: defaults, rules with field paths, conversion. */
class ExperimentSpecificationConvTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static ExperimentSpecification read(String singleQuoted) {
        return MAPPER.readValue(singleQuoted.replace('\'', '"'), ExperimentSpecification.class);
    }

    private static List<String> fields(ExperimentSpecification s) {
        return s.validate(Limits.defaults()).stream().map(Violation::field).toList();
    }

    @Test
    void aCnnGetsItsDefaultsAndAnMlpStaysAsItWas() {
        ExperimentSpecification s = read("{'network': {'architecture': 'cnn'}, 'data': {'generator': 'images'}}")
                .withDefaults();
        NetworkSpec n = s.network();
        assertThat(n.architecture()).isEqualTo(NetworkSpec.ArchitectureKind.CNN);
        assertThat(n.channels()).containsExactly(32);
        assertThat(n.kernelSize()).isEqualTo(3);
        assertThat(n.stride()).isEqualTo(1);
        assertThat(n.padding()).isEqualTo(ConvNetworks.Padding.SAME);
        assertThat(n.pooling()).isEqualTo(ConvNetworks.Pooling.AVERAGE);
        assertThat(n.blocks()).isNull();
        assertThat(n.hiddenWidths()).isNull();
        assertThat(s.data().imageShape()).containsExactly(3, 8, 8);
        assertThat(s.data().inputDim()).isEqualTo(192);
        assertThat(s.validate(Limits.defaults())).isEmpty();
        assertThat(s.withDefaults()).isEqualTo(s);
        // an explicit mlp is the default form: same canonical spec, no architecture field
        ExperimentSpecification mlp = read("{'network': {'architecture': 'mlp'}}").withDefaults();
        assertThat(mlp).isEqualTo(ExperimentSpecification.defaults());
        assertThat(MAPPER.writeValueAsString(mlp)).doesNotContain("architecture");
    }

    @Test
    void aResnetDefaultsItsBlocksAndScale() {
        ExperimentSpecification s = read("{'network': {'architecture': 'resnet', 'channels': [8], 'blocks': 4},"
                + " 'data': {'generator': 'images', 'imageShape': [2, 6, 6], 'n': 5}}").withDefaults();
        assertThat(s.network().residualScale()).isEqualTo(0.5);
        ExperimentSpec core = s.toCore();
        ConvArchitecture a = ((LayeredSpec) core.model()).architecture();
        assertThat(a.kind()).isEqualTo(ConvArchitecture.Kind.RESNET);
        assertThat(a.inputShape()).containsExactly(2, 6, 6);
        assertThat(a.alpha()).isEqualTo(0.5);
        assertThat(core.data().x().shape()).containsExactly(5, 72);
        // stem 2*8*9, four blocks of two 8*8*9 convolutions, dense 8 -> 1
        assertThat(core.model().parameterCount()).isEqualTo(2 * 8 * 9 + 4 * 2 * 8 * 8 * 9 + 8);
        assertThat(s.memoryEstimate().total()).isPositive();
    }

    @Test
    void suppliedImagesAreRowsInChwOrder() {
        ExperimentSpecification s = read("{'network': {'architecture': 'cnn', 'channels': [2], 'kernelSize': 1},"
                + " 'data': {'images': [[[[1, 2], [3, 4]]], [[[5, 6], [7, 8]]]], 'y': [[0], [1]]}}");
        assertThat(s.validate(Limits.defaults())).isEmpty();
        ExperimentSpec core = s.toCore();
        assertThat(core.data().x().toDoubleMatrix()).isDeepEqualTo(new double[][] {{1, 2, 3, 4}, {5, 6, 7, 8}});
        assertThat(core.model().inputShape()).containsExactly(1, 2, 2);
    }

    static Stream<Arguments> oneRuleBroken() {
        String images = "'data': {'generator': 'images'}";
        return Stream.of(
                Arguments.of("{'network': {'architecture': 'cnn', 'channels': []}, " + images + "}", "network.channels"),
                Arguments.of("{'network': {'architecture': 'cnn', 'channels': [0]}, " + images + "}",
                        "network.channels[0]"),
                Arguments.of("{'network': {'architecture': 'cnn', 'kernelSize': 4}, " + images + "}",
                        "network.kernelSize"),
                Arguments.of("{'network': {'architecture': 'cnn', 'kernelSize': 9, 'padding': 'valid'}, " + images + "}",
                        "network.kernelSize"),
                Arguments.of("{'network': {'architecture': 'cnn', 'stride': 0}, " + images + "}", "network.stride"),
                Arguments.of("{'network': {'architecture': 'cnn', 'blocks': 2}, " + images + "}", "network.blocks"),
                Arguments.of("{'network': {'architecture': 'resnet', 'blocks': 0}, " + images + "}", "network.blocks"),
                Arguments.of("{'network': {'architecture': 'resnet', 'channels': [8, 16]}, " + images + "}",
                        "network.channels"),
                Arguments.of("{'network': {'architecture': 'cnn', 'hiddenWidths': [3]}, " + images + "}",
                        "network.hiddenWidths"),
                Arguments.of("{'network': {'architecture': 'cnn', 'outputMap': 'softmax', 'outputDim': 2}, " + images
                        + "}", "network.outputMap"),
                Arguments.of("{'network': {'architecture': 'cnn', 'trainOutputLayer': false}, " + images + "}", "network"),
                Arguments.of("{'network': {'architecture': 'cnn'}}", "data"),
                Arguments.of("{'network': {'channels': [4]}}", "network.channels"),
                Arguments.of("{'network': {'kernelSize': 3}}", "network.kernelSize"),
                Arguments.of("{'network': {'architecture': 'cnn', 'channels': [100000, 100000]}, " + images + "}",
                        "network.channels"),
                Arguments.of("{'network': {'architecture': 'cnn'}, 'data': {'generator': 'images', 'imageShape': [3, 8]}}",
                        "data.imageShape"),
                Arguments.of("{'network': {'architecture': 'cnn'}, 'data': {'generator': 'images', 'imageShape': [3, 0, 8]}}",
                        "data.imageShape[1]"),
                Arguments.of("{'network': {'architecture': 'cnn'}, 'data': {'generator': 'images', 'noise': 0.1}}",
                        "data.noise"),
                Arguments.of("{'network': {'architecture': 'cnn', 'kernelSize': 1}, 'data': {'images': [[[[1, 2]]], "
                        + "[[[1]]]], 'y': [[0], [1]]}}", "data.images[1][0][0]"),
                Arguments.of("{'network': {'architecture': 'cnn', 'kernelSize': 1}, 'data': {'images': [[[[1, 2]]]], "
                        + "'y': [[0], [1]]}}", "data.y"),
                Arguments.of("{'network': {'architecture': 'cnn', 'kernelSize': 1}, 'data': {'images': [[[[1, 2]]]], "
                        + "'x': [[1]], 'y': [[0]]}}", "data.x"));
    }

    @ParameterizedTest
    @MethodSource("oneRuleBroken")
    void eachBrokenRuleNamesItsField(String json, String field) {
        assertThat(fields(read(json))).contains(field);
    }

    @Test
    void anInvalidSpecIsNotConverted() {
        assertThatThrownBy(() -> read("{'network': {'architecture': 'cnn', 'kernelSize': 4}, "
                + "'data': {'generator': 'images'}}").toCore()).isInstanceOf(InvalidSpecificationException.class);
    }
}
