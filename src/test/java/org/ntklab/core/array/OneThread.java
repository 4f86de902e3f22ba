package org.ntklab.core.array;

import java.util.function.Supplier;

/**
 * Test access to a single thread for the engine's split loops: runs a body with
 * {@link Parallel#limitThreads} at 1, restoring the limit afterwards (ND4J's own
 * {@code setMaxThreads} does not limit them). As with {@link SimdPaths}, tests that use it must not
 * run concurrently with other tests of the engine.
 */
public final class OneThread {

    private OneThread() {
    }

    /** The result of {@code body} computed with every split loop on the calling thread alone. */
    public static <T> T run(Supplier<T> body) {
        int previous = Parallel.limitThreads(1);
        try {
            if (Parallel.threads() != 1) {
                throw new IllegalStateException("the loops still use " + Parallel.threads() + " threads");
            }
            return body.get();
        } finally {
            Parallel.limitThreads(previous);
        }
    }
}
