package org.ntklab.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.TestNetworks;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.train.Cancellation;

/** Theta_inf is computed once per (activation, depth, trainable layers, X), whatever the widths. */
class InfiniteWidthCacheTest {

    private static Architecture arch(int[] widths, Activation sigma, boolean trainOutput, int c) {
        return Architecture.of(3, widths, c, sigma, OutputMap.LINEAR, Parameterization.NTK, trainOutput, Init.GAUSSIAN);
    }

    @Test
    void widthsShareAnEntryAndEverythingThetaDependsOnSeparatesThem() {
        InfiniteWidthCache cache = new InfiniteWidthCache();
        AtomicInteger computed = new AtomicInteger();
        INDArray x = TestNetworks.gaussian(1, 4, 3, DataType.DOUBLE);
        java.util.function.BiFunction<Architecture, INDArray, INDArray> theta = (a, data) -> cache.get(a, data, () -> {
            computed.incrementAndGet();
            return InfiniteWidthKernel.of(a, data, GaussianExpectation.CLOSED_FORM_WHERE_KNOWN, Cancellation.NEVER);
        }).theta();

        INDArray first = theta.apply(arch(new int[] {10, 20}, Activation.RELU, true, 1), x);
        INDArray wider = theta.apply(arch(new int[] {1000, 7}, Activation.RELU, true, 3), x.dup());
        assertThat(computed).hasValue(1);
        assertThat(wider).isSameAs(first);
        theta.apply(arch(new int[] {10, 20}, Activation.ERF, true, 1), x);
        theta.apply(arch(new int[] {10, 20}, Activation.RELU, false, 1), x);
        theta.apply(arch(new int[] {10}, Activation.RELU, true, 1), x);
        INDArray other = theta.apply(arch(new int[] {10, 20}, Activation.RELU, true, 1), x.mul(2));
        assertThat(computed).hasValue(5);
        assertThat(other).isEqualTo(InfiniteWidthKernel.of(arch(new int[] {5, 5}, Activation.RELU, true, 1), x.mul(2),
                GaussianExpectation.CLOSED_FORM_WHERE_KNOWN, Cancellation.NEVER).theta());

        for (int i = 0; i < InfiniteWidthCache.MAX_ENTRIES + 3; i++) {
            theta.apply(arch(new int[] {4}, Activation.IDENTITY, true, 1), x.add(i));
        }
        assertThat(cache.size()).isEqualTo(InfiniteWidthCache.MAX_ENTRIES);
    }
}
