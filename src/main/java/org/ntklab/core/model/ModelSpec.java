package org.ntklab.core.model;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
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
}
