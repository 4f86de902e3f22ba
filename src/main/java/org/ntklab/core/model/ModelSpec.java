package org.ntklab.core.model;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.experiment.MeasurementSpec;
import org.ntklab.core.experiment.MemoryEstimate;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.spectral.LanczosOptions;

/** A model's definition: what an experiment draws w_0 from, and what it needs to validate and size it. */
public interface ModelSpec {

    /** Draws the model at initialisation from {@code seed}. */
    Model initialize(long seed, DataType dtype);

    /** d: the length of a data row. */
    long inputDim();

    /** The per-example shape a data row is reshaped to ((C, H, W) for images), or null for plain rows. */
    default long[] inputShape() {
        return null;
    }

    /** c. */
    int outputDim();

    OutputMap outputMap();

    /** p, the trainable parameter count. */
    long parameterCount();

    /** Caveats a reader of the results needs (relu's vanishing sigma'', ...). */
    List<String> notes();

    /** The memory an experiment on n examples with {@code probes} Hessian probes allocates. */
    MemoryEstimate memory(int n, DataType dtype, LanczosOptions lanczos, int probes);

    /** The bytes of one input's Hessian-vector-product passes (forward, tangent, second order). */
    long hessianPassBytes(DataType dtype);

    /**
     * The memory of an experiment on n examples measuring {@code measurements}: ||H|| as
     * {@link #memory(int, DataType, LanczosOptions, int)}, with the Hessian's structure and the
     * loss Hessian ({@link MemoryEstimate#withHessianStructure}).
     */
    default MemoryEstimate memory(int n, DataType dtype, MeasurementSpec measurements) {
        return memory(n, dtype, measurements.lanczos(), measurements.probes().size())
                .withHessianStructure(measurements, parameterCount(), n, outputDim(), dtype, hessianPassBytes(dtype));
    }
}
