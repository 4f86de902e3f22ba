package org.ntklab.core.experiment;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.model.MlpSpec;
import org.ntklab.core.model.ModelSpec;
import org.ntklab.core.nn.Architecture;

/**
 * One experiment: a model drawn from {@code seed}, trained on {@code data} and measured.
 * Validates the combination (data shapes against the model, probes against n and c, the loss
 * against the output map).
 *
 * @param model a fully connected network ({@link MlpSpec}) or a layered one
 */
public record ExperimentSpec(ModelSpec model, DataType dtype, long seed, Dataset data,
        TrainingSpec training, MeasurementSpec measurements) {
    public ExperimentSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(measurements, "measurements");
        if (data.x().columns() != model.inputDim()) {
            throw new IllegalArgumentException("data has " + data.x().columns() + " input columns but the network expects "
                    + model.inputDim());
        }
        if (data.y().columns() != model.outputDim()) {
            throw new IllegalArgumentException("data has " + data.y().columns() + " target columns but the network has "
                    + model.outputDim() + " outputs");
        }
        if (data.x().dataType() != dtype || data.y().dataType() != dtype) {
            throw new IllegalArgumentException("data must be " + dtype);
        }
        if (!training.loss().supports(model.outputMap())) {
            throw new IllegalArgumentException(training.loss() + " needs a softmax output");
        }
        long n = data.x().rows();
        for (HessianProbe probe : measurements.probes()) {
            if (probe.index() >= n) {
                throw new IllegalArgumentException("Hessian probe index " + probe.index() + " is not below n = " + n);
            }
            if (probe.output() >= model.outputDim()) {
                throw new IllegalArgumentException("Hessian probe output " + probe.output() + " is not below c = "
                        + model.outputDim());
            }
        }
    }

    /** A fully connected network's experiment. */
    public ExperimentSpec(Architecture architecture, DataType dtype, long seed, Dataset data, TrainingSpec training,
            MeasurementSpec measurements) {
        this(new MlpSpec(Objects.requireNonNull(architecture, "architecture")), dtype, seed, data, training,
                measurements);
    }

    /**
     * The fully connected architecture.
     *
     * @throws IllegalStateException for a layered model
     */
    public Architecture architecture() {
        if (model instanceof MlpSpec mlp) {
            return mlp.architecture();
        }
        throw new IllegalStateException("not a fully connected network: " + model);
    }
}
