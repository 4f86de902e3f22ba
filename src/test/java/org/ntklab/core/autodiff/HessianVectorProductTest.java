package org.ntklab.core.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.TestNetworks;
import org.ntklab.core.TestNetworks.Shape;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.Network;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;

class HessianVectorProductTest {

    /** Central-difference step: truncation error ~ eps^2 ||f'''|| ~ 1e-10, rounding ~ 1e-16 / eps ~ 1e-11. */
    private static final double FD_STEP = 1e-5;
    /** Agreement of the exact HVP with central differences, relative to ||Hv||: both error terms above, with margin. */
    private static final double FD_RELATIVE_TOLERANCE = 1e-7;
    /** Symmetry of the HVP-built Hessian: exact up to float64 rounding in a few dozen products. */
    private static final double SYMMETRY_TOLERANCE = 1e-12;
    /** A closed form against the R-operator: float64 rounding only. */
    private static final double CLOSED_FORM_TOLERANCE = 1e-12;

    static Stream<Arguments> combinations() {
        return TestNetworks.allCombinations().stream()
                .filter(c -> c[0] != Activation.RELU) // relu's kinks make finite differences unreliable
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0} {1} trainOutput={2} {3}")
    @MethodSource("combinations")
    void hvpMatchesCentralDifferencesOfExactGradients(Activation activation, OutputMap phi, boolean trainOutput, Shape shape) {
        Architecture arch = TestNetworks.architecture(3, shape, 2, activation, phi, Parameterization.NTK, trainOutput);
        Network net = Network.initialize(arch, 21, DataType.DOUBLE);
        INDArray x = TestNetworks.gaussian(4, 1, 3, DataType.DOUBLE);
        for (int k = 0; k < 2; k++) {
            INDArray v = TestNetworks.direction(9 + k, net.parameterCount(), DataType.DOUBLE);
            INDArray exact = Nd4j.create(DataType.DOUBLE, net.parameterCount());
            HessianVectorProduct.ofOutput(net, x, k).apply(v, exact);
            INDArray fd = finiteDifferenceHvp(net, x, k, v);
            double error = exact.sub(fd).norm2Number().doubleValue() / Math.max(fd.norm2Number().doubleValue(), 1e-3);
            assertThat(error).as("%s output %d", arch, k).isLessThan(FD_RELATIVE_TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0} {1} trainOutput={2} {3}")
    @MethodSource("combinations")
    void hvpBuiltHessianIsSymmetricAndMatchesFiniteDifferenceHessian(Activation activation, OutputMap phi,
            boolean trainOutput, Shape shape) {
        Architecture arch = TestNetworks.architecture(2, shape, 2, activation, phi, Parameterization.STANDARD, trainOutput);
        Network net = Network.initialize(arch, 5, DataType.DOUBLE);
        INDArray x = TestNetworks.gaussian(8, 1, 2, DataType.DOUBLE);
        INDArray h = denseHessian(HessianVectorProduct.ofOutput(net, x, 1));
        double scale = Math.max(h.norm2Number().doubleValue(), 1e-3);
        assertThat(h.sub(h.transpose()).norm2Number().doubleValue() / scale).isLessThan(SYMMETRY_TOLERANCE);
        INDArray fd = finiteDifferenceHessian(net, x, 1);
        assertThat(h.sub(fd).norm2Number().doubleValue() / scale).isLessThan(FD_RELATIVE_TOLERANCE);
    }

    @Test
    void shallowFrozenOutputHessianIsTheClosedFormDiagonal() {
        int m = 7;
        double x0 = 0.83;
        for (Activation sigma : new Activation[] {Activation.TANH, Activation.SWISH, Activation.GELU, Activation.SOFTPLUS}) {
            Architecture arch = Architecture.of(1, new int[] {m}, 1, sigma, OutputMap.LINEAR, Parameterization.NTK,
                    false, Init.RADEMACHER);
            Network net = Network.initialize(arch, 17, DataType.DOUBLE);
            INDArray h = denseHessian(HessianVectorProduct.ofOutput(net, Nd4j.create(new double[][] {{x0}}), 0));
            INDArray w = net.weight(1);
            INDArray v = net.weight(2);
            for (int i = 0; i < m; i++) {
                assertThat(Math.abs(v.getDouble(0, i))).isEqualTo(1.0);
                double expected = v.getDouble(0, i) * sigma.at(w.getDouble(i, 0) * x0)[2] * x0 * x0 / Math.sqrt(m);
                for (int j = 0; j < m; j++) {
                    double want = i == j ? expected : 0.0;
                    assertThat(h.getDouble(i, j)).as("%s H[%d,%d]", sigma, i, j)
                            .isCloseTo(want, org.assertj.core.data.Offset.offset(CLOSED_FORM_TOLERANCE));
                }
            }
        }
    }

    @Test
    void onlyLastLayerTrainedWithLinearOutputHasZeroHessian() {
        Architecture arch = new Architecture(3, new int[] {5, 4}, 2, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, new boolean[] {false, false, true}, Init.GAUSSIAN);
        Network net = Network.initialize(arch, 2, DataType.DOUBLE);
        INDArray h = denseHessian(HessianVectorProduct.ofOutput(net, TestNetworks.gaussian(1, 1, 3, DataType.DOUBLE), 1));
        assertThat(h.amaxNumber().doubleValue()).isEqualTo(0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonLinearMaps")
    void nonLinearOutputHessianIsChainRuleOfLinearOne(OutputMap phi) {
        // H_f = phi'(g) H_g + phi''(g) grad g grad g^T, with g from the same weights and a linear output.
        Architecture arch = Architecture.of(3, new int[] {6, 5}, 1, Activation.TANH, phi, Parameterization.NTK, true,
                Init.GAUSSIAN);
        Architecture linear = Architecture.of(3, new int[] {6, 5}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Network net = Network.initialize(arch, 31, DataType.DOUBLE);
        Network g = Network.of(linear, DataType.DOUBLE, net.weight(1), net.weight(2), net.weight(3));
        INDArray x = TestNetworks.gaussian(3, 1, 3, DataType.DOUBLE).muli(2.0);
        INDArray hf = denseHessian(HessianVectorProduct.ofOutput(net, x, 0));
        INDArray hg = denseHessian(HessianVectorProduct.ofOutput(g, x, 0));
        INDArray grad = Nd4j.create(DataType.DOUBLE, g.parameterCount());
        ForwardPass pass = ForwardPass.run(g, x);
        Derivatives.vjp(pass, Nd4j.ones(DataType.DOUBLE, 1, 1), grad);
        double[] phis = phi.elementwise().at(pass.output().getDouble(0, 0));
        INDArray outer = grad.reshape(grad.length(), 1).mmul(grad.reshape(1, grad.length()));
        INDArray expected = hg.mul(phis[1]).addi(outer.muli(phis[2]));
        double error = hf.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
        assertThat(error).isLessThan(CLOSED_FORM_TOLERANCE);
    }

    static Stream<OutputMap> nonLinearMaps() {
        return Stream.of(OutputMap.SWISH, OutputMap.SIGMOID, OutputMap.TANH);
    }

    @Test
    void softmaxHessianMatchesFiniteDifferencesForEveryOutput() {
        Architecture arch = Architecture.of(3, new int[] {5}, 4, Activation.GELU, OutputMap.SOFTMAX,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Network net = Network.initialize(arch, 41, DataType.DOUBLE);
        INDArray x = TestNetworks.gaussian(6, 1, 3, DataType.DOUBLE);
        for (int k = 0; k < 4; k++) {
            INDArray h = denseHessian(HessianVectorProduct.ofOutput(net, x, k));
            INDArray fd = finiteDifferenceHessian(net, x, k);
            assertThat(h.sub(fd).norm2Number().doubleValue() / h.norm2Number().doubleValue())
                    .isLessThan(FD_RELATIVE_TOLERANCE);
        }
    }

    /** H e_j for every unit vector: the dense p x p Hessian. */
    static INDArray denseHessian(HessianVectorProduct op) {
        int p = Math.toIntExact(op.dimension());
        INDArray h = Nd4j.create(op.dataType(), p, p);
        INDArray y = Nd4j.create(op.dataType(), p);
        for (int j = 0; j < p; j++) {
            INDArray e = Nd4j.zeros(op.dataType(), p);
            e.putScalar(j, 1.0);
            op.apply(e, y);
            h.getColumn(j).assign(y);
        }
        return h;
    }

    /** (grad f_k(w + eps v) - grad f_k(w - eps v)) / (2 eps), from exact reverse-mode gradients. */
    static INDArray finiteDifferenceHvp(Network net, INDArray x, int k, INDArray v) {
        INDArray plus = gradient(net.withParameters(net.parameters().add(v.mul(FD_STEP))), x, k);
        INDArray minus = gradient(net.withParameters(net.parameters().sub(v.mul(FD_STEP))), x, k);
        return plus.subi(minus).divi(2 * FD_STEP);
    }

    static INDArray finiteDifferenceHessian(Network net, INDArray x, int k) {
        int p = Math.toIntExact(net.parameterCount());
        INDArray h = Nd4j.create(DataType.DOUBLE, p, p);
        for (int j = 0; j < p; j++) {
            INDArray e = Nd4j.zeros(DataType.DOUBLE, p);
            e.putScalar(j, 1.0);
            h.getColumn(j).assign(finiteDifferenceHvp(net, x, k, e));
        }
        return h;
    }

    static INDArray gradient(Network net, INDArray x, int k) {
        INDArray unit = Nd4j.zeros(net.dataType(), 1, net.architecture().outputDim());
        unit.putScalar(0, k, 1.0);
        INDArray grad = Nd4j.create(net.dataType(), net.parameterCount());
        Derivatives.vjp(ForwardPass.run(net, x), unit, grad);
        return grad;
    }

    @Test
    void anOperatorsScratchBuffersCarryNothingFromOneProductToTheNext() {
        Architecture arch = TestNetworks.architecture(3, Shape.DEEP, 2, Activation.TANH, OutputMap.TANH,
                Parameterization.NTK, true);
        Network net = Network.initialize(arch, 5, DataType.DOUBLE);
        HessianVectorProduct op = HessianVectorProduct.ofOutput(net, TestNetworks.gaussian(1, 1, 3, DataType.DOUBLE), 1);
        INDArray v1 = TestNetworks.direction(2, net.parameterCount(), DataType.DOUBLE);
        INDArray v2 = TestNetworks.direction(3, net.parameterCount(), DataType.DOUBLE);
        INDArray first = Nd4j.create(DataType.DOUBLE, net.parameterCount());
        INDArray between = Nd4j.create(DataType.DOUBLE, net.parameterCount());
        INDArray again = Nd4j.create(DataType.DOUBLE, net.parameterCount());
        op.apply(v1, first);
        op.apply(v2, between);
        op.apply(v1, again);
        assertThat(again.equalsWithEps(first, 0.0)).isTrue();
        assertThat(between.equalsWithEps(first, 0.0)).isFalse();
    }
}
