package org.ntklab.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ntklab.core.array.Simd;

/**
 * The compiled vector loops keep every DoubleVector in registers: a vector that C2 cannot
 * scalarise (one merged with null at a join, or passed to a call that was not inlined) is boxed
 * on the heap at every iteration, which made tanh 2x and softplus 2.5x slower (10-25 bytes
 * allocated per element). The profile is the service's: every activation both with and without
 * sigma'' (training and Hessian-vector products alternate). Until C2 has compiled the loops they
 * allocate in any case, so the check repeats until they are compiled, within a bound.
 */
class VectorLoopsAllocationTest {

    private static final int LEN = 4096;
    /** Bytes per element: the per-call bookkeeping (an int per vector, a few small arrays) is ~0.5. */
    private static final double BOXED = 2.0;

    @Test
    void compiledLoopsDoNotAllocatePerElement() {
        assumeTrue(Simd.vector(), "the Vector API is not present");
        ActivationLoops loops = Activation.loops();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        double[] x = new double[LEN];
        Random random = new Random(3);
        for (int i = 0; i < LEN; i++) {
            x[i] = random.nextGaussian() * 2.0;
        }
        double[] v = new double[LEN];
        double[] d1 = new double[LEN];
        double[] d2 = new double[LEN];
        Map<String, Double> worst = new LinkedHashMap<>();
        long deadline = System.nanoTime() + 90_000_000_000L;
        boolean clean = false;
        while (!clean && System.nanoTime() < deadline) {
            clean = true;
            for (Activation sigma : Activation.values()) {
                for (double[] second : new double[][] {null, d2}) {
                    for (int k = 0; k < 200; k++) {
                        loops.evaluate(sigma, x, v, d1, second, LEN);
                    }
                    long before = threads.getCurrentThreadAllocatedBytes();
                    int calls = 100;
                    for (int k = 0; k < calls; k++) {
                        loops.evaluate(sigma, x, v, d1, second, LEN);
                    }
                    double perElement = (threads.getCurrentThreadAllocatedBytes() - before) / (double) calls / LEN;
                    worst.put(sigma + (second == null ? "" : " with sigma''"), perElement);
                    clean &= perElement < BOXED;
                }
            }
        }
        assertThat(worst).as("bytes allocated per element once compiled").allSatisfy(
                (loop, bytes) -> assertThat(bytes).as(loop).isLessThan(BOXED));
    }
}
