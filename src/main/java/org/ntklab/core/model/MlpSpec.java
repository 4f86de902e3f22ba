package org.ntklab.core.model;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.experiment.MemoryEstimate;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Network;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.spectral.LanczosOptions;

/** A fully connected network ({@link Architecture}) as a {@link ModelSpec}. */
public record MlpSpec(Architecture architecture) implements ModelSpec {

    public MlpSpec {
        Objects.requireNonNull(architecture, "architecture");
    }

    @Override
    public Model initialize(long seed, DataType dtype) {
        return new MlpModel(Network.initialize(architecture, seed, dtype));
    }

    @Override
    public long inputDim() {
        return architecture.inputDim();
    }

    @Override
    public int outputDim() {
        return architecture.outputDim();
    }

    @Override
    public OutputMap outputMap() {
        return architecture.outputMap();
    }

    @Override
    public long parameterCount() {
        return architecture.parameterCount();
    }

    @Override
    public List<String> notes() {
        return architecture.activation() == Activation.RELU
                ? List.of("relu has sigma'' = 0 almost everywhere: its Hessian comes only from cross-layer terms.")
                : List.of();
    }

    @Override
    public MemoryEstimate memory(int n, DataType dtype, LanczosOptions lanczos, int probes) {
        return MemoryEstimate.of(architecture, n, dtype, lanczos, probes);
    }

    @Override
    public long hessianPassBytes(DataType dtype) {
        return MemoryEstimate.hessianPassBytes(architecture, dtype);
    }
}
