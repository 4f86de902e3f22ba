package org.ntklab.jobs.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import org.ntklab.core.experiment.TrainingSpec;

/**
 * The {@code training} object: full-batch gradient descent (SCIENCE.md, "Training").
 *
 * @param learningRate a number, or {@code {"auto": eta}}; default {@code {"auto": 0.5}}
 * @param steps        the most updates; default 1000
 * @param lossTarget   stop once the loss is at or below it (negative: never); default 0
 * @param loss         default squared-error
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingSettings(LearningRateSetting learningRate, Integer steps, Double lossTarget, Loss loss) {

    /** The default learning rate, {"auto": 0.5}. */
    public static final LearningRateSetting DEFAULT_LEARNING_RATE = new LearningRateSetting.Auto(0.5);
    /** The default number of steps. */
    public static final int DEFAULT_STEPS = 1000;

    /** A copy with every null field set to its default. */
    public TrainingSettings withDefaults() {
        return new TrainingSettings(learningRate == null ? DEFAULT_LEARNING_RATE : learningRate,
                steps == null ? DEFAULT_STEPS : steps, lossTarget == null ? 0.0 : lossTarget,
                loss == null ? Loss.SQUARED_ERROR : loss);
    }

    /**
     * Adds the violations of defaulted settings on their own (the loss against the output map is
     * checked by the caller).
     */
    void validate(Limits limits, List<Violation> violations) {
        learningRate.validate("training.learningRate", violations);
        if (steps < 0 || steps > limits.maxSteps()) {
            violations.add(new Violation("training.steps", "must be in [0, " + limits.maxSteps() + "], got " + steps,
                    steps < 0 ? null : Limits.STEPS));
        }
        if (Double.isNaN(lossTarget) || Double.isInfinite(lossTarget)) {
            violations.add(new Violation("training.lossTarget", "must be finite, got " + lossTarget));
        }
    }

    /** The core training settings of defaulted, valid settings. */
    public TrainingSpec toCore() {
        return new TrainingSpec(learningRate.toCore(), steps, lossTarget, loss.toCore());
    }

    /** The training loss. */
    public enum Loss {
        SQUARED_ERROR, CROSS_ENTROPY;

        /**
         * The loss named {@code text}, ignoring case.
         *
         * @throws UnknownValueException listing the allowed names
         */
        @JsonCreator
        public static Loss parse(String text) {
            return KebabCase.parse(Loss.class, "loss", text);
        }

        @JsonValue
        @Override
        public String toString() {
            return KebabCase.of(this);
        }

        public org.ntklab.core.train.Loss toCore() {
            return org.ntklab.core.train.Loss.valueOf(name());
        }
    }
}
