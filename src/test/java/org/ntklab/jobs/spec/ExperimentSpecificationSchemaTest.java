package org.ntklab.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract as springdoc will publish it (swagger-core's model resolver, OpenAPI 3.0 and 3.1). */
class ExperimentSpecificationSchemaTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @SuppressWarnings("rawtypes")
    void enumsAreKebabCaseAndTheLearningRateIsANumberOrAuto(boolean openapi31) {
        Map<String, Schema> schemas = ModelConverters.getInstance(openapi31).readAll(ExperimentSpecification.class);

        Schema network = schemas.get("NetworkSpec");
        assertThat(enumOf(network, "activation")).containsExactly("identity", "tanh", "sigmoid", "swish", "softplus",
                "gelu", "erf", "relu");
        assertThat(enumOf(schemas.get("DataSpec"), "generator")).containsExactly("sphere", "line", "gaussian-mixture",
                "images");
        assertThat(enumOf(schemas.get("ExperimentSpecification"), "dtype")).containsExactly("float64", "float32");
        assertThat(schemas.get("DataSpec").getProperties()).doesNotContainKey("supplied");

        Schema learningRate = (Schema) schemas.get("TrainingSettings").getProperties().get("learningRate");
        if (learningRate.get$ref() != null) { // OpenAPI 3.0 refers to the named one-of
            assertThat(learningRate.get$ref()).endsWith("/LearningRateSetting");
            learningRate = schemas.get("LearningRateSetting");
        }
        assertThat(learningRate.getOneOf()).hasSize(2);
        Schema fixed = (Schema) learningRate.getOneOf().get(0);
        assertThat(openapi31 ? fixed.getTypes() : Set.of(fixed.getType())).containsExactly("number");
        assertThat(((Schema) learningRate.getOneOf().get(1)).get$ref()).endsWith("/AutoLearningRate");
        assertThat(schemas.get("AutoLearningRate").getProperties()).containsOnlyKeys("auto");
        assertThat(schemas.get("AutoLearningRate").getRequired()).containsExactly("auto");
    }

    @SuppressWarnings("rawtypes")
    private static List<Object> enumOf(Schema object, String property) {
        return List.copyOf(((Schema) object.getProperties().get(property)).getEnum());
    }
}
