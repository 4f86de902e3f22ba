package org.ntklab.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.data.DataGenerator;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.GeneratorParameters;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;

/**
 * The network shapes every benchmark is parameterised by: n = 100 SPHERE inputs in d = 10, one
 * output (c = 1), tanh hidden layers, linear output, NTK parameterization, every layer trainable.
 * Shallow: one hidden layer of width m. Deep: three hidden layers of width m.
 */
public enum Workload {
    SHALLOW_1E3(1_000),
    SHALLOW_1E4(10_000),
    SHALLOW_1E5(100_000),
    SHALLOW_1E6(1_000_000),
    DEEP3_1E3(1_000, 1_000, 1_000),
    DEEP3_4E3(4_000, 4_000, 4_000);

    /** Batch size n. */
    public static final int N = 100;
    /** Input dimension d. */
    public static final int D = 10;
    /** Outputs c. */
    public static final int C = 1;
    private static final long SEED = 1;

    private final int[] hidden;

    Workload(int... hidden) {
        this.hidden = hidden;
    }

    public Architecture architecture() {
        return Architecture.of(D, hidden, C, Activation.TANH, OutputMap.LINEAR, Parameterization.NTK, true,
                Init.GAUSSIAN);
    }

    public Dataset data(DataType dtype) {
        return DataGenerator.SPHERE.generate(GeneratorParameters.defaults(N, D, C, SEED).withDtype(dtype));
    }

    public long seed() {
        return SEED;
    }

    /** "float64" or "float32" as the benchmarks' dtype parameter spells it. */
    public static DataType dtype(String name) {
        return switch (name) {
            case "float64" -> DataType.DOUBLE;
            case "float32" -> DataType.FLOAT;
            default -> throw new IllegalArgumentException("dtype must be float64 or float32, got " + name);
        };
    }
}
