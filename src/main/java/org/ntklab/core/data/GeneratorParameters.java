package org.ntklab.core.data;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * What a {@link DataGenerator} draws: n examples with d inputs and c outputs, from the experiment
 * seed, in a data type. See each generator for what {@code noise} and {@code separation} mean.
 *
 * @param n number of examples, &ge; 1
 * @param inputDim d, &ge; 1
 * @param outputDim c, &ge; 1
 * @param seed experiment seed; each generator derives fixed streams from it
 * @param dtype DOUBLE or FLOAT (values are computed in double, then rounded)
 * @param noise a standard deviation, finite and &ge; 0
 * @param separation the norm of the GAUSSIAN_MIXTURE class means, finite and &ge; 0
 */
public record GeneratorParameters(int n, int inputDim, int outputDim, long seed, DataType dtype,
        double noise, double separation) {

    /** The default {@code separation}. */
    public static final double DEFAULT_SEPARATION = 3.0;

    public GeneratorParameters {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (inputDim < 1) {
            throw new IllegalArgumentException("inputDim must be >= 1, got " + inputDim);
        }
        if (outputDim < 1) {
            throw new IllegalArgumentException("outputDim must be >= 1, got " + outputDim);
        }
        if ((long) n * Math.max(inputDim, outputDim) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n * max(inputDim, outputDim) = "
                    + (long) n * Math.max(inputDim, outputDim) + " elements exceed one Java array");
        }
        Dataset.requireSupported(dtype);
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise must be finite and >= 0, got " + noise);
        }
        if (!(separation >= 0) || Double.isInfinite(separation)) {
            throw new IllegalArgumentException("separation must be finite and >= 0, got " + separation);
        }
    }

    /**
     * DOUBLE, {@code noise = 0} (noise-free targets for SPHERE and LINE; GAUSSIAN_MIXTURE points
     * sit exactly on their class means, so prefer {@link DataGenerator#defaults}) and
     * {@code separation = 3}.
     */
    public static GeneratorParameters defaults(int n, int inputDim, int outputDim, long seed) {
        return new GeneratorParameters(n, inputDim, outputDim, seed, DataType.DOUBLE, 0.0,
                DEFAULT_SEPARATION);
    }

    /** A copy with another data type. */
    public GeneratorParameters withDtype(DataType newDtype) {
        return new GeneratorParameters(n, inputDim, outputDim, seed, newDtype, noise, separation);
    }

    /** A copy with another noise standard deviation. */
    public GeneratorParameters withNoise(double newNoise) {
        return new GeneratorParameters(n, inputDim, outputDim, seed, dtype, newNoise, separation);
    }

    /** A copy with another class-mean norm. */
    public GeneratorParameters withSeparation(double newSeparation) {
        return new GeneratorParameters(n, inputDim, outputDim, seed, dtype, noise, newSeparation);
    }

    /** A copy with another seed. */
    public GeneratorParameters withSeed(long newSeed) {
        return new GeneratorParameters(n, inputDim, outputDim, newSeed, dtype, noise, separation);
    }
}
