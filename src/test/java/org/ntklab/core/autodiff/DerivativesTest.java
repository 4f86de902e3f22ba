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
import org.ntklab.core.train.Loss;

class DerivativesTest {

    /** The adjoint identity holds exactly in real arithmetic; float64 rounding in sums of ~100 terms. */
    private static final double ADJOINT_TOLERANCE = 1e-12;
    private static final double FD_STEP = 1e-6;
    /** Central differences: truncation ~ h^2 ~ 1e-12, rounding ~ 1e-16 / h ~ 1e-10, relative. */
    private static final double FD_TOLERANCE = 1e-7;

    static Stream<Arguments> combinations() {
        return TestNetworks.allCombinations().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0} {1} trainOutput={2} {3}")
    @MethodSource("combinations")
    void vjpAndJvpAreAdjoint(Activation activation, OutputMap phi, boolean trainOutput, Shape shape) {
        // <u, J v> = <J^T u, v>: checks the reverse pass against the forward-mode pass.
        Architecture arch = TestNetworks.architecture(3, shape, 2, activation, phi, Parameterization.NTK, trainOutput);
        Network net = Network.initialize(arch, 13, DataType.DOUBLE);
        ForwardPass pass = ForwardPass.run(net, TestNetworks.gaussian(2, 5, 3, DataType.DOUBLE));
        INDArray u = TestNetworks.gaussian(3, 5, 2, DataType.DOUBLE);
        INDArray v = TestNetworks.direction(4, net.parameterCount(), DataType.DOUBLE);
        INDArray jtu = Nd4j.create(DataType.DOUBLE, net.parameterCount());
        Derivatives.vjp(pass, u, jtu);
        double left = u.mul(Derivatives.jvp(pass, v)).sumNumber().doubleValue();
        double right = jtu.mul(v).sumNumber().doubleValue();
        assertThat(Math.abs(left - right)).isLessThan(ADJOINT_TOLERANCE * Math.max(1.0, Math.abs(left)));
    }

    @ParameterizedTest(name = "{0} {1} trainOutput={2} {3}")
    @MethodSource("combinations")
    void jvpMatchesCentralDifferencesOfTheOutputs(Activation activation, OutputMap phi, boolean trainOutput, Shape shape) {
        if (activation == Activation.RELU) {
            return; // kinks: finite differences may straddle one
        }
        Architecture arch = TestNetworks.architecture(3, shape, 2, activation, phi, Parameterization.STANDARD, trainOutput);
        Network net = Network.initialize(arch, 17, DataType.DOUBLE);
        INDArray x = TestNetworks.gaussian(2, 5, 3, DataType.DOUBLE);
        INDArray v = TestNetworks.direction(4, net.parameterCount(), DataType.DOUBLE);
        INDArray jv = Derivatives.jvp(ForwardPass.run(net, x), v);
        INDArray plus = ForwardPass.run(net.withParameters(net.parameters().add(v.mul(FD_STEP))), x).output();
        INDArray minus = ForwardPass.run(net.withParameters(net.parameters().sub(v.mul(FD_STEP))), x).output();
        INDArray fd = plus.sub(minus).divi(2 * FD_STEP);
        assertThat(jv.sub(fd).norm2Number().doubleValue() / jv.norm2Number().doubleValue()).isLessThan(FD_TOLERANCE);
    }

    @Test
    void lossGradientsMatchCentralDifferences() {
        for (Loss loss : Loss.values()) {
            Architecture arch = Architecture.of(3, new int[] {7, 5}, 3, Activation.SOFTPLUS, OutputMap.SOFTMAX,
                    Parameterization.NTK, true, Init.GAUSSIAN);
            Network net = Network.initialize(arch, 23, DataType.DOUBLE);
            INDArray x = TestNetworks.gaussian(6, 6, 3, DataType.DOUBLE);
            INDArray y = Nd4j.zeros(DataType.DOUBLE, 6, 3);
            for (int i = 0; i < 6; i++) {
                y.putScalar(i, i % 3, 1.0);
            }
            INDArray grad = Nd4j.create(DataType.DOUBLE, net.parameterCount());
            loss.gradient(ForwardPass.run(net, x), y, grad);
            INDArray v = TestNetworks.direction(31, net.parameterCount(), DataType.DOUBLE);
            double plus = loss.value(ForwardPass.run(net.withParameters(net.parameters().add(v.mul(FD_STEP))), x), y);
            double minus = loss.value(ForwardPass.run(net.withParameters(net.parameters().sub(v.mul(FD_STEP))), x), y);
            double directional = grad.mul(v).sumNumber().doubleValue();
            assertThat(Math.abs(directional - (plus - minus) / (2 * FD_STEP)))
                    .as(loss.name()).isLessThan(FD_TOLERANCE * Math.abs(directional));
        }
    }

    @Test
    void squaredErrorHandValue() {
        // One hidden unit, identity activation, everything 1: f = w2 * w1 * x / (sqrt(1) sqrt(1)) = x.
        Architecture arch = Architecture.of(1, new int[] {1}, 1, Activation.IDENTITY, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Network net = Network.of(arch, DataType.DOUBLE, Nd4j.ones(DataType.DOUBLE, 1, 1), Nd4j.ones(DataType.DOUBLE, 1, 1));
        INDArray x = Nd4j.create(new double[][] {{1.0}, {2.0}});
        INDArray y = Nd4j.create(new double[][] {{0.0}, {0.0}});
        ForwardPass pass = ForwardPass.run(net, x);
        assertThat(Loss.SQUARED_ERROR.value(pass, y)).isEqualTo((1.0 + 4.0) / 4.0);
        INDArray grad = Nd4j.create(DataType.DOUBLE, 2);
        Loss.SQUARED_ERROR.gradient(pass, y, grad);
        // dL/dw1 = (1/n) sum_i f_i * w2 * x_i = (1 + 4) / 2, and the same for w2.
        assertThat(grad.toDoubleVector()).containsExactly(2.5, 2.5);
    }

    @ParameterizedTest(name = "{0} {1} trainOutput={2} {3}")
    @MethodSource("combinations")
    void aForwardPassWrittenIntoAnOldOnesArraysEqualsAFreshOneBitForBit(Activation activation, OutputMap phi,
            boolean trainOutput, Shape shape) {
        Architecture arch = TestNetworks.architecture(3, shape, 2, activation, phi, Parameterization.NTK, trainOutput);
        for (boolean secondOrder : new boolean[] {false, true}) {
            Network first = Network.initialize(arch, 21, DataType.DOUBLE);
            Network second = Network.initialize(arch, 22, DataType.DOUBLE);
            INDArray x1 = TestNetworks.gaussian(5, 5, 3, DataType.DOUBLE);
            INDArray x2 = TestNetworks.gaussian(6, 5, 3, DataType.DOUBLE);
            ForwardPass old = ForwardPass.run(first, x1, secondOrder);
            INDArray gOld = Nd4j.create(DataType.DOUBLE, first.parameterCount());
            Derivatives.vjp(old, Nd4j.ones(DataType.DOUBLE, 5, 2), gOld); // leaves backward scratch behind
            ForwardPass reused = ForwardPass.run(second, x2, secondOrder, old);
            ForwardPass fresh = ForwardPass.run(second, x2, secondOrder);
            assertThat(reused.output().equalsWithEps(fresh.output(), 0.0)).isTrue();
            for (int l = 1; l <= arch.depth(); l++) {
                assertThat(reused.activation(l).equalsWithEps(fresh.activation(l), 0.0)).isTrue();
                assertThat(reused.firstDerivative(l).equalsWithEps(fresh.firstDerivative(l), 0.0)).isTrue();
                if (secondOrder) {
                    assertThat(reused.secondDerivative(l).equalsWithEps(fresh.secondDerivative(l), 0.0)).isTrue();
                }
            }
            INDArray u = TestNetworks.gaussian(7, 5, 2, DataType.DOUBLE);
            INDArray gReused = Nd4j.create(DataType.DOUBLE, second.parameterCount());
            INDArray gFresh = Nd4j.create(DataType.DOUBLE, second.parameterCount());
            Derivatives.vjp(reused, u, gReused);
            Derivatives.vjp(fresh, u, gFresh);
            assertThat(gReused.equalsWithEps(gFresh, 0.0)).as("secondOrder=%s", secondOrder).isTrue();
        }
    }

    @Test
    void aPassOfAnotherBatchSizeIsNotReused() {
        Architecture arch = TestNetworks.architecture(3, Shape.DEEP, 2, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true);
        Network net = Network.initialize(arch, 3, DataType.DOUBLE);
        ForwardPass old = ForwardPass.run(net, TestNetworks.gaussian(1, 5, 3, DataType.DOUBLE));
        ForwardPass other = ForwardPass.run(net, TestNetworks.gaussian(2, 4, 3, DataType.DOUBLE), false, old);
        assertThat(other.activation(1)).isNotSameAs(old.activation(1));
        assertThat(other.output().rows()).isEqualTo(4);
        assertThat(old.output().rows()).isEqualTo(5); // untouched
    }
}
