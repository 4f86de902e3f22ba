package org.ntklab.jobs.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.ntklab.core.experiment.LearningRate;
import tools.jackson.databind.JsonNode;

/**
 * The {@code training.learningRate} field: a number (a fixed rate) or {@code {"auto": eta}}
 * (lr = eta n / lambda_max(K(w_0)), SCIENCE.md "Training"). Values are checked by
 * {@link ExperimentSpecification#validate}, not on parsing, so a bad value becomes a field
 * violation.
 */
@Schema(description = "A fixed learning rate (a number), or {\"auto\": eta} for lr = eta n / lambda_max(K(w_0))",
        oneOf = {LearningRateSetting.Fixed.class, LearningRateSetting.Auto.class})
public sealed interface LearningRateSetting {

    /**
     * The largest accepted auto factor. Gradient descent on the linearised model is stable for
     * eta &lt; 2; larger values up to this cap are allowed on purpose (divergence and catapult
     * studies); beyond it a value is almost surely a fixed rate put in the wrong form.
     */
    double MAX_ETA = 100.0;

    /** The core learning rate; the value must be valid (see {@link #validate}). */
    LearningRate toCore();

    /** Adds violations of this setting, at JSON path {@code field}. */
    void validate(String field, List<Violation> violations);

    /**
     * Reads a number or {@code {"auto": eta}}.
     *
     * @throws IllegalArgumentException for any other shape
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static LearningRateSetting fromJson(JsonNode node) {
        if (node != null && node.isNumber()) {
            return new Fixed(node.doubleValue());
        }
        if (node != null && node.isObject() && node.size() == 1 && node.get("auto") != null
                && node.get("auto").isNumber()) {
            return new Auto(node.get("auto").doubleValue());
        }
        throw new IllegalArgumentException("learningRate must be a number or {\"auto\": <number>}, got " + node);
    }

    /** lr = value, written as the bare number. */
    @Schema(type = "number", format = "double", description = "A fixed learning rate, > 0", example = "0.1")
    record Fixed(@JsonValue double value) implements LearningRateSetting {
        @Override
        public LearningRate toCore() {
            return new LearningRate.Fixed(value);
        }

        @Override
        public void validate(String field, List<Violation> violations) {
            if (!(value > 0) || !Double.isFinite(value)) {
                violations.add(new Violation(field, "must be positive and finite, got " + value));
            }
        }
    }

    /** lr = eta n / lambda_max(K(w_0)), written as {@code {"auto": eta}}. */
    @Schema(name = "AutoLearningRate",
            description = "Automatic learning rate eta n / lambda_max(K(w_0)); stable for eta < 2")
    record Auto(@JsonProperty("auto") @Schema(name = "auto", example = "0.5",
            requiredMode = Schema.RequiredMode.REQUIRED) double eta) implements LearningRateSetting {
        @Override
        public LearningRate toCore() {
            return new LearningRate.Auto(eta);
        }

        @Override
        public void validate(String field, List<Violation> violations) {
            if (!(eta > 0) || !(eta <= MAX_ETA)) {
                violations.add(new Violation(field + ".auto", "must be in (0, " + MAX_ETA + "], got " + eta));
            }
        }
    }
}
