package org.ntklab.core.array;

import java.util.function.Supplier;

/**
 * Test access to the scalar path when the Vector API is available: runs a body with
 * {@link Simd#forceScalar} set, restoring it afterwards. Tests that use it must not run
 * concurrently with other tests of the element-wise kernels (JUnit runs a class's tests
 * sequentially by default, as this project does).
 */
public final class SimdPaths {

    private SimdPaths() {
    }

    /** The result of {@code body} computed on the scalar path. */
    public static <T> T scalar(Supplier<T> body) {
        Simd.forceScalar(true);
        try {
            return body.get();
        } finally {
            Simd.forceScalar(false);
        }
    }
}
