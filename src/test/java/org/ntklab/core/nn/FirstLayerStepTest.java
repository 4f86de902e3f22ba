package org.ntklab.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Elementwise;
import org.ntklab.core.array.Flat;
import org.ntklab.core.array.OneThread;
import org.ntklab.core.array.Parallel;
import org.ntklab.core.array.SimdPaths;
import org.ntklab.core.data.DataGenerator;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.GeneratorParameters;

/**
 * The fused step against the two passes it replaces ({@link FirstLayer#forward}, the squared
 * error's cotangent, {@link FirstLayer#backward}): the same bits for G and the gradient, on the
 * SIMD and scalar paths, on one thread and two, and when the second thread never comes (its part
 * is taken over). Shapes: a tail group (n mod 4), partial blocks, several outputs, a frozen
 * output layer, activations whose loops read native memory (tanh) and heap arrays (the others).
 */
class FirstLayerStepTest {

    @ParameterizedTest(name = "n={0} d={1} m={2} c={3} {4} trainOutput={5}")
    @CsvSource({
        "100, 10, 10000, 1, TANH, true",
        "20, 5, 1300, 3, SWISH, false",
        "13, 3, 515, 2, GELU, true",
        "8, 1, 64, 1, RELU, true",
        "301, 4, 1000, 1, ERF, true",
        "37, 7, 2049, 16, TANH, false",
    })
    void theFusedStepHasTheBitsOfTheTwoPasses(int n, int d, int m, int c, Activation sigma, boolean trainOutput) {
        Network network = network(n, d, m, c, sigma, trainOutput);
        Dataset data = DataGenerator.SPHERE.generate(GeneratorParameters.defaults(n, d, c, 5));
        assertThat(FirstLayerStep.applies(network, n)).isTrue();

        INDArray[] passes = passes(network, data);
        INDArray[] fused = fused(network, data);
        assertThat(Flat.of(fused[0]).toArray()).as("G").containsExactly(Flat.of(passes[0]).toArray());
        assertThat(Flat.of(fused[1]).toArray()).as("gradient").containsExactly(Flat.of(passes[1]).toArray());
        assertThat(Flat.of(network.slice(fused[1], 1)).toArray()).as("dW_1 is not zero").isNotEqualTo(
                new double[Math.toIntExact(network.slice(fused[1], 1).length())]);

        INDArray[] scalar = SimdPaths.scalar(() -> fused(network, data));
        INDArray[] oneThread = OneThread.run(() -> fused(network, data));
        for (int k = 0; k < 2; k++) {
            assertThat(Flat.of(scalar[k]).toArray()).containsExactly(Flat.of(fused[k]).toArray());
            assertThat(Flat.of(oneThread[k]).toArray()).containsExactly(Flat.of(fused[k]).toArray());
        }
    }

    /**
     * Every pool thread is busy with another caller's work when the step starts: the caller's
     * thread claims the second part too and finishes the step alone, with the same bits.
     */
    @Test
    void aPartWhoseThreadNeverStartsIsTakenOver() throws Exception {
        Network network = network(64, 10, 4096, 1, Activation.TANH, true);
        Dataset data = DataGenerator.SPHERE.generate(GeneratorParameters.defaults(64, 10, 1, 5));
        INDArray[] expected = passes(network, data);
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "two cores");
        FirstLayerStep step = new FirstLayerStep(network, 64);
        assertThat(step.parts()).as("a part per thread").isEqualTo(Parallel.threads()).isGreaterThanOrEqualTo(2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(Runtime.getRuntime().availableProcessors() + 1);
        CompletableFuture<Void> blocker = CompletableFuture.runAsync(() -> Parallel.together(
                Runtime.getRuntime().availableProcessors() + 1, () -> {
                    busy.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        try {
            assertThat(busy.await(30, TimeUnit.SECONDS)).as("every pool thread is held").isTrue();
            INDArray g = Nd4j.create(DataType.DOUBLE, 64, 1);
            INDArray gradient = Nd4j.create(DataType.DOUBLE, network.parameterCount());
            CompletableFuture<Void> alone = CompletableFuture.runAsync(() -> step.run(data.x(), data.y(), 1.0 / 64, g,
                    gradient));
            alone.get(60, TimeUnit.SECONDS);
            assertThat(Flat.of(g).toArray()).containsExactly(Flat.of(expected[0]).toArray());
            assertThat(Flat.of(gradient).toArray()).containsExactly(Flat.of(expected[1]).toArray());
        } finally {
            release.countDown();
            blocker.get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The bound that the memory estimate and the admission use covers what a step allocates,
     * within 10%, on the test's shapes; a network whose buffers would pass the bound takes the two
     * passes.
     */
    @Test
    void theBytesBoundCoversTheBuffersAndWideNetworksAreNotFused() {
        int[][] shapes = {{100, 10, 10000, 1}, {20, 5, 1300, 3}, {13, 3, 515, 2}, {8, 1, 64, 1}, {37, 7, 2049, 16}};
        for (int[] s : shapes) {
            for (Activation sigma : new Activation[] {Activation.TANH, Activation.GELU}) {
                Network network = network(s[0], s[1], s[2], s[3], sigma, s[3] != 16);
                long bound = FirstLayerStep.bytes(network.architecture(), s[0]);
                long allocated = new FirstLayerStep(network, s[0]).allocatedBytes();
                assertThat(bound).as("%s %s", java.util.Arrays.toString(s), sigma).isGreaterThanOrEqualTo(allocated)
                        .isLessThanOrEqualTo(allocated + allocated / 10 + 64 * 1024);
            }
        }
        Architecture wide = Architecture.of(64, new int[] {1_000_000}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        assertThat(FirstLayerStep.bytes(wide, 100)).isGreaterThan(FirstLayerStep.maxBytes());
        assertThat(FirstLayerStep.applies(wide, DataType.DOUBLE, 100)).isFalse();
        assertThat(FirstLayer.fusesBackward(wide, DataType.DOUBLE, 100)).as("the two passes are still fused").isTrue();
    }

    @Test
    void onlyTheFusedShapesAreAccepted() {
        Network deep = Network.initialize(Architecture.of(5, new int[] {64, 64}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN), 1, DataType.DOUBLE);
        Network softmax = Network.initialize(Architecture.of(5, new int[] {64}, 3, Activation.TANH, OutputMap.SOFTMAX,
                Parameterization.NTK, true, Init.GAUSSIAN), 1, DataType.DOUBLE);
        Network single = Network.initialize(Architecture.of(5, new int[] {64}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN), 1, DataType.FLOAT);
        Network shallow = network(16, 5, 64, 1, Activation.TANH, true);
        assertThat(FirstLayerStep.applies(deep, 100)).isFalse();
        assertThat(FirstLayerStep.applies(softmax, 100)).isFalse();
        assertThat(FirstLayerStep.applies(single, 100)).isFalse();
        assertThat(FirstLayerStep.applies(shallow, FirstLayer.MIN_ROWS - 1)).isFalse();
        assertThatThrownBy(() -> new FirstLayerStep(deep, 100)).isInstanceOf(IllegalArgumentException.class);
        FirstLayerStep step = new FirstLayerStep(shallow, 16);
        Dataset other = DataGenerator.SPHERE.generate(GeneratorParameters.defaults(17, 5, 1, 5));
        assertThatThrownBy(() -> step.run(other.x(), other.y(), 1.0, Nd4j.create(DataType.DOUBLE, 17, 1),
                Nd4j.create(DataType.DOUBLE, shallow.parameterCount()))).hasMessageContaining("16 rows");
    }

    private static Network network(int n, int d, int m, int c, Activation sigma, boolean trainOutput) {
        Architecture architecture = Architecture.of(d, new int[] {m}, c, sigma, OutputMap.LINEAR,
                Parameterization.NTK, trainOutput, trainOutput ? Init.GAUSSIAN : Init.RADEMACHER);
        return Network.initialize(architecture, 11, DataType.DOUBLE);
    }

    /** G and the gradient by FirstLayer.forward, D = (G - Y) / n as the squared error's, FirstLayer.backward. */
    private static INDArray[] passes(Network network, Dataset data) {
        int n = Math.toIntExact(data.x().rows());
        long m = network.architecture().width(1);
        INDArray a = Nd4j.create(DataType.DOUBLE, n, m);
        INDArray d1 = Nd4j.create(DataType.DOUBLE, n, m);
        INDArray g = Nd4j.create(DataType.DOUBLE, n, network.architecture().outputDim());
        FirstLayer.forward(network, data.x(), a, d1, null, g);
        INDArray delta = g.ulike();
        Elementwise.scaledDifference(delta, g, data.y(), 1.0 / n);
        INDArray gradient = Nd4j.create(DataType.DOUBLE, network.parameterCount());
        FirstLayer.backward(network, data.x(), a, d1, delta, gradient);
        return new INDArray[] {g, gradient};
    }

    private static INDArray[] fused(Network network, Dataset data) {
        int n = Math.toIntExact(data.x().rows());
        FirstLayerStep step = new FirstLayerStep(network, n);
        INDArray g = Nd4j.create(DataType.DOUBLE, n, network.architecture().outputDim());
        INDArray gradient = Nd4j.create(DataType.DOUBLE, network.parameterCount());
        step.run(data.x(), data.y(), 1.0 / n, g, gradient);
        step.run(data.x(), data.y(), 1.0 / n, g, gradient); // a second step on the same buffers: the same
        return new INDArray[] {g, gradient};
    }
}
