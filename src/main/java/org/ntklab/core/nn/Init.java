package org.ntklab.core.nn;

import org.ntklab.core.rng.SeededRandom;

/**
 * The distribution of a layer's weights at initialisation, before the parameterization's scale
 * ({@link Parameterization#initScale}) is applied.
 */
public enum Init {
    /** Entries N(0, 1). */
    GAUSSIAN,
    /** Entries uniform on {-1, +1}: the paper's frozen output layer v of the shallow example. */
    RADEMACHER;

    /** Fills {@code out} with independent draws times {@code scale}. */
    public void fill(SeededRandom random, double[] out, double scale) {
        switch (this) {
            case GAUSSIAN -> random.fillGaussian(out, scale);
            case RADEMACHER -> random.fillRademacher(out, scale);
            default -> throw new AssertionError(this);
        }
    }
}
