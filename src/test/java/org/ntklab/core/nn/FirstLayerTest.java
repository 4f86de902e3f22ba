package org.ntklab.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Flat;
import org.ntklab.core.array.OneThread;
import org.ntklab.core.array.SimdPaths;
import org.ntklab.core.data.DataGenerator;
import org.ntklab.core.data.GeneratorParameters;

/**
 * The fused first layer against the same mathematics by plain ND4J products: the forward pass
 * (A_1, sigma', sigma'', G) and the reverse pass (dW_1, dW_2) agree to rounding; the SIMD and scalar
 * paths give the same bits, and so do one and two threads (every sum has a fixed order).
 * Shapes cover partial blocks (m not a multiple of the block), n above one block's budget (a
 * narrower block), a frozen output layer and several outputs.
 */
class FirstLayerTest {

    @ParameterizedTest(name = "n={0} d={1} m={2} c={3} {4} trainOutput={5}")
    @CsvSource({
        "100, 10, 10000, 1, TANH, true",
        "20, 5, 1300, 3, SWISH, false",
        "7, 3, 515, 2, GELU, true",
        "1, 10, 777, 1, RELU, true",
        "300, 4, 1000, 1, ERF, true",
    })
    void fusedPassesEqualTheProducts(int n, int d, int m, int c, Activation sigma, boolean trainOutput) {
        Architecture architecture = Architecture.of(d, new int[] {m}, c, sigma, OutputMap.LINEAR,
                Parameterization.NTK, trainOutput, trainOutput ? Init.GAUSSIAN : Init.RADEMACHER);
        Network network = Network.initialize(architecture, 11, DataType.DOUBLE);
        INDArray x = DataGenerator.SPHERE.generate(GeneratorParameters.defaults(n, d, c, 5)).x();
        Nd4j.getRandom().setSeed(3);
        INDArray delta = Nd4j.randn(DataType.DOUBLE, n, c);
        assertThat(FirstLayer.fusesForward(network, n)).isEqualTo(n >= FirstLayer.MIN_ROWS);
        assertThat(FirstLayer.fusesBackward(network, n)).isEqualTo(n >= FirstLayer.MIN_ROWS);

        // the reference: Z by a product, the activation on it, the reverse pass by products
        INDArray z = x.mmul(network.weight(1).transpose()).muli(network.scale(1));
        INDArray[] reference = {z.ulike(), z.ulike(), z.ulike()};
        sigma.evaluate(z, reference[0], reference[1], reference[2]);
        INDArray signal = delta.mmul(network.weight(2)).muli(network.scale(2)).muli(reference[1]);
        INDArray dW1 = signal.transpose().mmul(x).muli(network.scale(1));
        INDArray dW2 = delta.transpose().mmul(reference[0]).muli(network.scale(2));
        INDArray g = reference[0].mmul(network.weight(2).transpose()).muli(network.scale(2));

        INDArray[] fused = forward(network, x);
        for (int k = 0; k < 3; k++) {
            assertClose(fused[k], reference[k], 1e-13);
        }
        assertClose(fused[3], g, 1e-12);
        INDArray gradient = backward(network, x, fused, delta);
        assertClose(network.slice(gradient, 1), dW1, 1e-12);
        if (trainOutput) {
            assertClose(network.slice(gradient, 2), dW2, 1e-12);
        }

        // the same bits on the scalar path and on one thread
        INDArray[] scalar = SimdPaths.scalar(() -> forward(network, x));
        INDArray scalarGradient = SimdPaths.scalar(() -> backward(network, x, scalar, delta));
        INDArray[] oneThread = OneThread.run(() -> forward(network, x));
        INDArray oneThreadGradient = OneThread.run(() -> backward(network, x, oneThread, delta));
        for (int k = 0; k < 4; k++) {
            assertThat(Flat.of(scalar[k]).toArray()).isEqualTo(Flat.of(fused[k]).toArray());
            assertThat(Flat.of(oneThread[k]).toArray()).isEqualTo(Flat.of(fused[k]).toArray());
        }
        assertThat(Flat.of(scalarGradient).toArray()).isEqualTo(Flat.of(gradient).toArray());
        assertThat(Flat.of(oneThreadGradient).toArray()).isEqualTo(Flat.of(gradient).toArray());
    }

    private static INDArray[] forward(Network network, INDArray x) {
        long m = network.architecture().width(1);
        INDArray[] out = new INDArray[4];
        for (int k = 0; k < 3; k++) {
            out[k] = Nd4j.create(DataType.DOUBLE, x.rows(), m);
        }
        out[3] = Nd4j.create(DataType.DOUBLE, x.rows(), network.architecture().outputDim());
        FirstLayer.forward(network, x, out[0], out[1], out[2], out[3]);
        return out;
    }

    private static INDArray backward(Network network, INDArray x, INDArray[] pass, INDArray delta) {
        INDArray gradient = Nd4j.create(DataType.DOUBLE, network.parameterCount());
        FirstLayer.backward(network, x, pass[0], pass[1], delta, gradient);
        return gradient;
    }

    /** |a - b| <= tolerance (max |b| + 1e-300), elementwise over the whole array. */
    private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        double[] a = Flat.of(actual.dup('c')).toArray();
        double[] b = Flat.of(expected.dup('c')).toArray();
        assertThat(a).hasSameSizeAs(b);
        double scale = 1e-300;
        for (double v : b) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < a.length; i++) {
            assertThat(Math.abs(a[i] - b[i])).as("element %d: %s vs %s", i, a[i], b[i])
                    .isLessThanOrEqualTo(tolerance * scale);
        }
    }
}
