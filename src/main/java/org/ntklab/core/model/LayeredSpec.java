package org.ntklab.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.experiment.MemoryEstimate;
import org.ntklab.core.layers.ConvArchitecture;
import org.ntklab.core.layers.LayeredNetwork;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.spectral.LanczosOptions;

/** A convolutional or residual network ({@link ConvArchitecture}) as a {@link ModelSpec}. */
public record LayeredSpec(ConvArchitecture architecture) implements ModelSpec {

    public LayeredSpec {
        Objects.requireNonNull(architecture, "architecture");
    }

    @Override
    public Model initialize(long seed, DataType dtype) {
        return new LayeredModel(LayeredNetwork.initialize(architecture.build(), seed, dtype));
    }

    @Override
    public long inputDim() {
        return architecture.inputSize();
    }

    @Override
    public long[] inputShape() {
        return java.util.Arrays.stream(architecture.inputShape()).asLongStream().toArray();
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
        return architecture.build().parameterCount();
    }

    @Override
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (architecture.activation() == Activation.RELU) {
            notes.add("relu has sigma'' = 0 almost everywhere: its Hessian comes only from cross-layer terms.");
        }
        if (architecture.kind() == ConvArchitecture.Kind.RESNET) {
            notes.add("residual blocks a + alpha conv(sigma(conv(a))) with alpha = " + architecture.alpha() + ".");
        }
        return notes;
    }

    @Override
    public MemoryEstimate memory(int n, DataType dtype, LanczosOptions lanczos, int probes) {
        return MemoryEstimate.ofLayered(architecture, n, dtype, lanczos, probes);
    }

    @Override
    public long hessianPassBytes(DataType dtype) {
        return MemoryEstimate.hessianPassBytes(architecture, dtype);
    }
}
