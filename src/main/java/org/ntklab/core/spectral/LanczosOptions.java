package org.ntklab.core.spectral;

/**
 * Settings of a {@link Lanczos} run.
 *
 * @param maxIterations  the most Lanczos steps (operator applications), at least 1; a run on an
 *                       operator of dimension {@code p < maxIterations} takes at most {@code p}
 * @param tolerance      relative residual target, in (0, 1): both extreme Ritz pairs must reach
 *                       {@code residual <= tolerance * max(norm, tiny)}
 * @param maxBasisBytes  memory budget for the stored basis, at least 0; FULL reorthogonalisation is
 *                       used when {@link Lanczos#basisBytes} fits in it, LOCAL otherwise
 * @param seed           seed of the random start vector
 * @param reorthogonalization the scheme when the basis fits in {@code maxBasisBytes}: {@link Reorthogonalization#FULL}
 *                       (the default) or {@link Reorthogonalization#PARTIAL}; LOCAL is what a run falls back to
 *                       when the basis does not fit, and may also be asked for
 */
public record LanczosOptions(int maxIterations, double tolerance, long maxBasisBytes, long seed,
        Reorthogonalization reorthogonalization) {

    /** 100 steps. */
    public static final int DEFAULT_MAX_ITERATIONS = 100;
    /** 1e-6 relative: extreme eigenvalues with a spectral gap g are then accurate to ~(1e-6 ||A||)^2 / g. */
    public static final double DEFAULT_TOLERANCE = 1e-6;
    /** 1 GiB. */
    public static final long DEFAULT_MAX_BASIS_BYTES = 1L << 30;

    public LanczosOptions {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        if (!(tolerance > 0.0 && tolerance < 1.0)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxBasisBytes < 0) {
            throw new IllegalArgumentException("maxBasisBytes must be >= 0, got " + maxBasisBytes);
        }
        java.util.Objects.requireNonNull(reorthogonalization, "reorthogonalization");
    }

    /** FULL reorthogonalisation when the basis fits. */
    public LanczosOptions(int maxIterations, double tolerance, long maxBasisBytes, long seed) {
        this(maxIterations, tolerance, maxBasisBytes, seed, Reorthogonalization.FULL);
    }

    /** The defaults above with the given start-vector seed. */
    public static LanczosOptions defaults(long seed) {
        return new LanczosOptions(DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE, DEFAULT_MAX_BASIS_BYTES, seed);
    }

    public LanczosOptions withMaxIterations(int value) {
        return new LanczosOptions(value, tolerance, maxBasisBytes, seed, reorthogonalization);
    }

    public LanczosOptions withTolerance(double value) {
        return new LanczosOptions(maxIterations, value, maxBasisBytes, seed, reorthogonalization);
    }

    public LanczosOptions withMaxBasisBytes(long value) {
        return new LanczosOptions(maxIterations, tolerance, value, seed, reorthogonalization);
    }

    public LanczosOptions withSeed(long value) {
        return new LanczosOptions(maxIterations, tolerance, maxBasisBytes, value, reorthogonalization);
    }

    /** These options with another preferred reorthogonalisation (used when the basis fits). */
    public LanczosOptions withReorthogonalization(Reorthogonalization value) {
        return new LanczosOptions(maxIterations, tolerance, maxBasisBytes, seed, value);
    }
}
