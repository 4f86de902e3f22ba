package org.ntklab.core.array;

import java.util.function.IntSupplier;
import jdk.incubator.vector.DoubleVector;

/**
 * The preferred vector size in bits on this CPU (512 with AVX-512, 256 with AVX2). Uses the
 * Vector API: loaded only by {@link Simd} once the module is known to be present.
 */
public final class VectorShape implements IntSupplier {

    @Override
    public int getAsInt() {
        return DoubleVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
