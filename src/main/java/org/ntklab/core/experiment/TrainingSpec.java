package org.ntklab.core.experiment;

import java.util.Objects;
import org.ntklab.core.train.Loss;

/**
 * @param learningRate fixed or automatic
 * @param steps        the most gradient-descent updates, &gt;= 0
 * @param lossTarget   stop once the loss is at or below it (negative: never)
 * @param loss         squared error by default
 */
public record TrainingSpec(LearningRate learningRate, int steps, double lossTarget, Loss loss) {
    public TrainingSpec {
        Objects.requireNonNull(learningRate, "learningRate");
        Objects.requireNonNull(loss, "loss");
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
    }
}
