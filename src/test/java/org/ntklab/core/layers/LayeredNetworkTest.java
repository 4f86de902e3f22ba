package org.ntklab.core.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.TestNetworks;
import org.ntklab.core.autodiff.HessianVectorProduct;
import org.ntklab.core.kernel.TangentKernel;
import org.ntklab.core.autodiff.ForwardPass;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.Network;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.spectral.Lanczos;
import org.ntklab.core.spectral.SpectrumEstimate;
import org.ntklab.core.spectral.SymmetricEigen;

/**
 * The three truths for layered models: the tiled kernel against J J^T with J built column by
 * column from forward-mode JVPs (and J against central differences), the R-operator HVP against
 * central differences of exact gradients, and the HVP-built dense Hessian (symmetric) against
 * Lanczos; plus a dense stack against the MLP engine, an independent implementation.
 */
class LayeredNetworkTest {

    /** Kernel by tiles of VJP rows vs J J^T from JVP columns: same products, float64 rounding. */
    private static final double KERNEL_TOLERANCE = 1e-10;
    /** Central-difference step: truncation ~ eps^2 ~ 1e-10, rounding ~ 1e-16 / eps ~ 1e-11. */
    private static final double FD_STEP = 1e-5;
    /** Exact derivatives against central differences, relative: both error terms above with margin. */
    private static final double FD_RELATIVE_TOLERANCE = 1e-6;
    /** Symmetry of the HVP-built Hessian: float64 rounding. */
    private static final double SYMMETRY_TOLERANCE = 1e-11;
    /** Lanczos' extreme Ritz values against the dense eigen-decomposition (converged to 1e-10). */
    private static final double LANCZOS_TOLERANCE = 1e-8;

    static ConvArchitecture cnn(OutputMap phi, Parameterization parameterization, int stride) {
        return new ConvArchitecture(ConvArchitecture.Kind.CNN, new int[] {2, 5, 5}, new int[] {3, 2}, 3, stride,
                Conv2d.Padding.SAME, 0, null, ConvArchitecture.Pooling.AVERAGE, Activation.TANH, phi, 2,
                parameterization);
    }

    static ConvArchitecture resnet(OutputMap phi) {
        return new ConvArchitecture(ConvArchitecture.Kind.RESNET, new int[] {2, 4, 4}, new int[] {3}, 3, 1,
                Conv2d.Padding.SAME, 2, null, ConvArchitecture.Pooling.FLATTEN, Activation.SWISH, phi, 2,
                Parameterization.NTK);
    }

    static ConvArchitecture conv1d() {
        return new ConvArchitecture(ConvArchitecture.Kind.CNN, new int[] {2, 7}, new int[] {3}, 3, 2,
                Conv2d.Padding.VALID, 0, null, ConvArchitecture.Pooling.AVERAGE, Activation.SIGMOID, OutputMap.TANH, 2,
                Parameterization.STANDARD);
    }

    static Stream<ConvArchitecture> architectures() {
        return Stream.of(cnn(OutputMap.LINEAR, Parameterization.NTK, 1), cnn(OutputMap.SWISH, Parameterization.STANDARD, 2),
                resnet(OutputMap.LINEAR), resnet(OutputMap.SIGMOID), conv1d());
    }

    private static INDArray inputs(ConvArchitecture a, int n) {
        return TestNetworks.gaussian(17, n, Math.toIntExact(a.inputSize()), DataType.DOUBLE);
    }

    /** J column by column: J e_j by a forward-mode JVP. */
    private static INDArray jacobianByJvp(LayeredNetwork net, INDArray x) {
        long p = net.parameterCount();
        Layer.Trace trace = net.forward(x);
        int rows = Math.toIntExact(x.rows() * net.outputDim());
        INDArray j = Nd4j.create(DataType.DOUBLE, rows, p);
        for (long col = 0; col < p; col++) {
            INDArray e = Nd4j.zeros(DataType.DOUBLE, p);
            e.putScalar(col, 1.0);
            j.getColumn(col).assign(net.jvp(trace, e).reshape(rows));
        }
        return j;
    }

    private static INDArray outputGradient(LayeredNetwork net, INDArray x, int k) {
        INDArray u = Nd4j.zeros(DataType.DOUBLE, 1, net.outputDim());
        u.putScalar(0, k, 1.0);
        INDArray g = Nd4j.create(DataType.DOUBLE, net.parameterCount());
        net.vjp(net.forward(x), u, g);
        return g;
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void tiledKernelEqualsTheExplicitJacobianProduct(ConvArchitecture a) {
        LayeredNetwork net = LayeredNetwork.initialize(a.build(), 3, DataType.DOUBLE);
        INDArray x = inputs(a, 5);
        INDArray j = jacobianByJvp(net, x);
        INDArray explicit = j.mmul(j.transpose());
        long rowBytes = net.parameterCount() * net.outputDim() * 8;
        for (long tile : new long[] {LayeredKernel.DEFAULT_TILE_BYTES, 2 * rowBytes, rowBytes}) {
            INDArray k = LayeredKernel.full(net, x, tile);
            double scale = explicit.normmaxNumber().doubleValue();
            assertThat(k.sub(explicit).normmaxNumber().doubleValue()).as("tile %d", tile)
                    .isLessThan(KERNEL_TOLERANCE * scale);
        }
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void jacobianMatchesCentralDifferences(ConvArchitecture a) {
        LayeredNetwork net = LayeredNetwork.initialize(a.build(), 4, DataType.DOUBLE);
        INDArray x = inputs(a, 3);
        INDArray v = TestNetworks.direction(5, net.parameterCount(), DataType.DOUBLE);
        INDArray exact = net.jvp(net.forward(x), v);
        INDArray w = net.parameters();
        INDArray plus = net.withParameters(w.add(v.mul(FD_STEP))).forward(x).output();
        INDArray minus = net.withParameters(w.sub(v.mul(FD_STEP))).forward(x).output();
        INDArray fd = plus.sub(minus).div(2 * FD_STEP);
        assertThat(exact.sub(fd).norm2Number().doubleValue() / fd.norm2Number().doubleValue())
                .isLessThan(FD_RELATIVE_TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void hvpMatchesCentralDifferencesOfExactGradients(ConvArchitecture a) {
        LayeredNetwork net = LayeredNetwork.initialize(a.build(), 6, DataType.DOUBLE);
        INDArray x = inputs(a, 1);
        for (int k = 0; k < 2; k++) {
            INDArray v = TestNetworks.direction(7 + k, net.parameterCount(), DataType.DOUBLE);
            INDArray exact = Nd4j.create(DataType.DOUBLE, net.parameterCount());
            LayeredHessian.ofOutput(net, x, k).apply(v, exact);
            INDArray w = net.parameters();
            INDArray fd = outputGradient(net.withParameters(w.add(v.mul(FD_STEP))), x, k)
                    .sub(outputGradient(net.withParameters(w.sub(v.mul(FD_STEP))), x, k)).div(2 * FD_STEP);
            double error = exact.sub(fd).norm2Number().doubleValue() / Math.max(fd.norm2Number().doubleValue(), 1e-3);
            assertThat(error).as("%s output %d", a, k).isLessThan(FD_RELATIVE_TOLERANCE);
        }
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void denseHessianIsSymmetricAndLanczosFindsItsExtremes(ConvArchitecture a) {
        LayeredNetwork net = LayeredNetwork.initialize(a.build(), 8, DataType.DOUBLE);
        INDArray x = inputs(a, 1);
        LayeredHessian h = LayeredHessian.ofOutput(net, x, 1);
        int p = Math.toIntExact(net.parameterCount());
        INDArray dense = Nd4j.create(DataType.DOUBLE, p, p);
        INDArray column = Nd4j.create(DataType.DOUBLE, p);
        for (int j = 0; j < p; j++) {
            INDArray e = Nd4j.zeros(DataType.DOUBLE, p);
            e.putScalar(j, 1.0);
            h.apply(e, column);
            dense.getColumn(j).assign(column);
        }
        double scale = dense.normmaxNumber().doubleValue();
        assertThat(dense.sub(dense.transpose()).normmaxNumber().doubleValue()).isLessThan(SYMMETRY_TOLERANCE * scale);
        double[] eigen = SymmetricEigen.eigenvalues(dense.add(dense.transpose()).div(2));
        double max = java.util.Arrays.stream(eigen).max().orElseThrow();
        double min = java.util.Arrays.stream(eigen).min().orElseThrow();
        SpectrumEstimate estimate = Lanczos.estimate(h, LanczosOptions.defaults(3).withMaxIterations(p)
                .withTolerance(1e-10));
        assertThat(estimate.lambdaMax()).isCloseTo(max, org.assertj.core.data.Offset.offset(LANCZOS_TOLERANCE * scale));
        assertThat(estimate.lambdaMin()).isCloseTo(min, org.assertj.core.data.Offset.offset(LANCZOS_TOLERANCE * scale));
    }

    @Test
    void aDenseStackIsTheMultilayerPerceptron() {
        Architecture arch = Architecture.of(3, new int[] {5, 4}, 2, Activation.TANH, OutputMap.SWISH,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Network mlp = Network.initialize(arch, 9, DataType.DOUBLE);
        Serial stack = Serial.from(3).add(new Dense(3, 5, Parameterization.NTK))
                .add(new Pointwise(Activation.TANH, new long[] {5})).add(new Dense(5, 4, Parameterization.NTK))
                .add(new Pointwise(Activation.TANH, new long[] {4})).add(new Dense(4, 2, Parameterization.NTK))
                .add(new Pointwise(Activation.SWISH, new long[] {2})).build();
        LayeredNetwork net = LayeredNetwork.initialize(stack, 9, DataType.DOUBLE).withParameters(mlp.parameters().dup());
        INDArray x = TestNetworks.gaussian(2, 6, 3, DataType.DOUBLE);
        ForwardPass pass = ForwardPass.run(mlp, x);
        assertThat(net.forward(x).output().sub(pass.output()).normmaxNumber().doubleValue()).isLessThan(1e-14);
        INDArray kernel = TangentKernel.full(pass);
        assertThat(LayeredKernel.full(net, x).sub(kernel).normmaxNumber().doubleValue())
                .isLessThan(KERNEL_TOLERANCE * kernel.normmaxNumber().doubleValue());
        INDArray v = TestNetworks.direction(4, mlp.parameterCount(), DataType.DOUBLE);
        INDArray expected = Nd4j.create(DataType.DOUBLE, mlp.parameterCount());
        INDArray actual = Nd4j.create(DataType.DOUBLE, mlp.parameterCount());
        INDArray x0 = x.getRow(0).reshape(1, 3).dup();
        HessianVectorProduct.ofOutput(mlp, x0, 1).apply(v, expected);
        LayeredHessian.ofOutput(net, x0, 1).apply(v, actual);
        assertThat(actual.sub(expected).normmaxNumber().doubleValue()).isLessThan(1e-12);
    }

    @Test
    void initializationIsDeterministicAndNtkScaled() {
        ConvArchitecture a = cnn(OutputMap.LINEAR, Parameterization.NTK, 1);
        LayeredNetwork one = LayeredNetwork.initialize(a.build(), 5, DataType.DOUBLE);
        LayeredNetwork two = LayeredNetwork.initialize(a.build(), 5, DataType.DOUBLE);
        assertThat(one.parameters()).isEqualTo(two.parameters());
        assertThat(LayeredNetwork.initialize(a.build(), 6, DataType.DOUBLE).parameters()).isNotEqualTo(one.parameters());
        ConvArchitecture standard = cnn(OutputMap.LINEAR, Parameterization.STANDARD, 1);
        LayeredNetwork s = LayeredNetwork.initialize(standard.build(), 5, DataType.DOUBLE);
        // same draws: the first conv's weights differ by 1/sqrt(C_in k k) = 1/sqrt(18); same function
        double ratio = s.parameters().getDouble(0) / one.parameters().getDouble(0);
        assertThat(ratio).isCloseTo(1 / Math.sqrt(18), org.assertj.core.data.Offset.offset(1e-14));
        INDArray x = inputs(a, 3);
        assertThat(s.forward(x).output().sub(one.forward(x).output()).normmaxNumber().doubleValue()).isLessThan(1e-13);
    }
}
