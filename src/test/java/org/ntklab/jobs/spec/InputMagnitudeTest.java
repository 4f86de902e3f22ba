package org.ntklab.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.ntklab.core.experiment.ExperimentOutcome;
import org.ntklab.core.experiment.ExperimentRunner;
import org.ntklab.core.train.ProgressListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Data too large for the arithmetic is refused at submission, data just inside the bound runs
 * with every number finite, and data that overflows anyway (bypassing validation) fails saying so.
 */
class InputMagnitudeTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static ExperimentSpecification spec(String dtype, String activation, double scale) {
        // n = 4, d = 2, c = 1; a depth-3 network
        String json = """
                {"dtype": "%s", "seed": 3,
                 "network": {"hiddenWidths": [32, 32, 32], "activation": "%s"},
                 "data": {"x": [[%s, 0.5], [-0.25, %s], [1, 1], [0.75, -1]], "y": [[%s], [-1], [0.5], [1]]},
                 "training": {"steps": 3, "learningRate": {"auto": 0.5}},
                 "measurements": {"kernelEvery": 1, "hessianProbes": [{"index": 0}], "lanczosMaxIter": 4}}"""
                .formatted(dtype, activation, scale, -scale, scale == 0 ? 1 : Math.signum(scale) * Math.min(Math.abs(scale), 2));
        return MAPPER.readValue(json, ExperimentSpecification.class);
    }

    @Test
    void theBoundIsTheFourthRootOfTheLargestNumberOverTheGain() {
        // hand values: MAX^(1/4) / sqrt(n c d G)
        assertThat(InputMagnitude.limit(ExperimentSpecification.Dtype.FLOAT64, 1, 1, 1))
                .isCloseTo(Math.pow(Double.MAX_VALUE, 0.25) / 100, org.assertj.core.api.Assertions.withinPercentage(1e-12));
        assertThat(InputMagnitude.limit(ExperimentSpecification.Dtype.FLOAT64, 4, 1, 2))
                .isBetween(4.08e74, 4.10e74);
        assertThat(InputMagnitude.limit(ExperimentSpecification.Dtype.FLOAT32, 4, 1, 2))
                .isBetween(1.51e7, 1.53e7);
    }

    @ParameterizedTest
    @CsvSource({"float64, 1e308", "float64, 1e75", "float32, 2e7", "float32, 3e38"})
    void dataOverTheBoundIsRefusedNamingTheCell(String dtype, double value) {
        List<Violation> violations = spec(dtype, "relu", value).validate(Limits.defaults());
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("data.x[0][0]");
            assertThat(v.message()).contains("would overflow").contains("in " + dtype + " with n = 4, d = 2, c = 1")
                    .contains("Rescale");
        });
    }

    /** A second method: the engine itself, run on data just inside the bound, computes nothing non-finite. */
    @ParameterizedTest
    @CsvSource({"float64, relu", "float64, tanh", "float64, identity", "float32, relu", "float32, gelu"})
    void dataJustInsideTheBoundRunsWithEveryNumberFinite(String dtype, String activation) {
        double limit = InputMagnitude.limit(ExperimentSpecification.Dtype.parse(dtype), 4, 1, 2);
        ExperimentSpecification spec = spec(dtype, activation, 0.99 * limit);
        assertThat(spec.validate(Limits.defaults())).isEmpty();
        ExperimentOutcome outcome = new ExperimentRunner().run(spec.toCore(), ProgressListener.NONE, () -> false);
        assertThat(outcome.result().kernelNormInit()).isFinite().isPositive();
        assertThat(outcome.result().kernelSpectrumInit().lambdaMax()).isFinite();
        assertThat(outcome.result().initialLoss()).isFinite();
        assertThat(outcome.result().hessianInit().max()).isFinite();
    }

    @Test
    void aTargetOverTheBoundIsRefusedToo() {
        ExperimentSpecification spec = MAPPER.readValue("""
                {"data": {"x": [[1, 0.5], [0.5, 1]], "y": [[1], [-1e200]]}}""", ExperimentSpecification.class);
        assertThat(spec.validate(Limits.defaults())).singleElement()
                .satisfies(v -> assertThat(v.field()).isEqualTo("data.y[1][0]"));
    }
}
