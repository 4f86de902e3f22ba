package org.ntklab.core.experiment;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.nn.Architecture;

/**
 * One experiment: a network drawn from {@code seed}, trained on {@code data} and measured.
 * Validates the combination (data shapes against the architecture, probes against n and c, the
 * loss against the output map).
 */
public record ExperimentSpec(Architecture architecture, DataType dtype, long seed, Dataset data,
        TrainingSpec training, MeasurementSpec measurements) {
    public ExperimentSpec {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(measurements, "measurements");
        if (data.x().columns() != architecture.inputDim()) {
            throw new IllegalArgumentException("data has " + data.x().columns() + " input columns but the network expects "
                    + architecture.inputDim());
        }
        if (data.y().columns() != architecture.outputDim()) {
            throw new IllegalArgumentException("data has " + data.y().columns() + " target columns but the network has "
                    + architecture.outputDim() + " outputs");
        }
        if (data.x().dataType() != dtype || data.y().dataType() != dtype) {
            throw new IllegalArgumentException("data must be " + dtype);
        }
        if (!training.loss().supports(architecture.outputMap())) {
            throw new IllegalArgumentException(training.loss() + " needs a softmax output");
        }
        long n = data.x().rows();
        for (HessianProbe probe : measurements.probes()) {
            if (probe.index() >= n) {
                throw new IllegalArgumentException("Hessian probe index " + probe.index() + " is not below n = " + n);
            }
            if (probe.output() >= architecture.outputDim()) {
                throw new IllegalArgumentException("Hessian probe output " + probe.output() + " is not below c = "
                        + architecture.outputDim());
            }
        }
    }
}
