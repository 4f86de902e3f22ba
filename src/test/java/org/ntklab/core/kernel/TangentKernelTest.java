package org.ntklab.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.TestNetworks;
import org.ntklab.core.TestNetworks.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.autodiff.Derivatives;
import org.ntklab.core.autodiff.ForwardPass;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Network;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;

class TangentKernelTest {

    /** Both methods sum the same products in a different order: float64 rounding, amplified by at most ~10^3. */
    private static final double KERNEL_RELATIVE_TOLERANCE = 1e-10;

    static Stream<Arguments> combinations() {
        return TestNetworks.allCombinations().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0} {1} trainOutput={2} {3}")
    @MethodSource("combinations")
    void structuredKernelEqualsExplicitJacobianProduct(Activation activation, OutputMap phi, boolean trainOutput, Shape shape) {
        for (Parameterization parameterization : Parameterization.values()) {
            Architecture arch = TestNetworks.architecture(3, shape, 2, activation, phi, parameterization, trainOutput);
            INDArray x = TestNetworks.gaussian(5, 4, 3, DataType.DOUBLE);
            // relu behind a width-2 bottleneck can be dead on every input (K = 0): take the first seed that is not.
            Network net = null;
            INDArray explicit = null;
            for (long seed = 11; explicit == null || explicit.norm2Number().doubleValue() == 0.0; seed++) {
                net = Network.initialize(arch, seed, DataType.DOUBLE);
                explicit = ExplicitJacobian.kernel(net, x);
            }
            INDArray structured = TangentKernel.full(net, x);
            double error = structured.sub(explicit).norm2Number().doubleValue() / explicit.norm2Number().doubleValue();
            assertThat(error).as(arch.toString()).isLessThan(KERNEL_RELATIVE_TOLERANCE);
        }
    }

    /**
     * Layers of width 1 make rank-one signals with several outputs too (the kernel's fused rank-one
     * path is for c = 1 only); found by the hostile-input tests with widths [1, 1] and c = 2. The
     * reverse pass is checked by the adjoint identity against the forward-mode JVP, which has no
     * rank-one special case, so the explicit kernel built from it is an independent truth.
     */
    @Test
    void widthOneLayersWithSeveralOutputsEqualTheExplicitKernel() {
        int[][] shapes = {{1, 1}, {4, 1, 3}, {1}};
        for (int[] hidden : shapes) {
            for (int c : new int[] {2, 3}) {
                for (OutputMap phi : new OutputMap[] {OutputMap.LINEAR, OutputMap.SWISH, OutputMap.SOFTMAX}) {
                    Architecture arch = Architecture.of(3, hidden, c, Activation.TANH, phi, Parameterization.NTK, true,
                            Init.GAUSSIAN);
                    Network net = Network.initialize(arch, 7, DataType.DOUBLE);
                    INDArray x = TestNetworks.gaussian(5, 4, 3, DataType.DOUBLE);
                    ForwardPass pass = ForwardPass.run(net, x);
                    INDArray u = TestNetworks.gaussian(6, 4, c, DataType.DOUBLE);
                    INDArray v = TestNetworks.direction(8, net.parameterCount(), DataType.DOUBLE);
                    INDArray jtu = Nd4j.create(DataType.DOUBLE, net.parameterCount());
                    Derivatives.vjp(pass, u, jtu);
                    double left = u.mul(Derivatives.jvp(pass, v)).sumNumber().doubleValue();
                    double right = jtu.mul(v).sumNumber().doubleValue();
                    assertThat(Math.abs(left - right)).as("adjoint %s", arch).isLessThan(1e-12 * Math.max(1.0, Math.abs(left)));

                    INDArray explicit = ExplicitJacobian.kernel(net, x);
                    INDArray structured = TangentKernel.full(net, x);
                    double error = structured.sub(explicit).norm2Number().doubleValue()
                            / explicit.norm2Number().doubleValue();
                    assertThat(error).as(arch.toString()).isLessThan(KERNEL_RELATIVE_TOLERANCE);
                }
            }
        }
    }

    @Test
    void singleOutputKernelIsItsOwnTrace() {
        Architecture arch = TestNetworks.architecture(3, Shape.DEEP, 1, Activation.TANH, OutputMap.SIGMOID,
                Parameterization.NTK, true);
        Network net = Network.initialize(arch, 3, DataType.DOUBLE);
        INDArray x = TestNetworks.gaussian(7, 5, 3, DataType.DOUBLE);
        INDArray full = TangentKernel.full(net, x);
        assertThat(TangentKernel.traced(full, 1).equalsWithEps(full, 0.0)).isTrue();
    }

    @Test
    void tracedKernelSumsOutputDiagonalBlocks() {
        Architecture arch = TestNetworks.architecture(3, Shape.SHALLOW, 3, Activation.SWISH, OutputMap.SOFTMAX,
                Parameterization.NTK, true);
        Network net = Network.initialize(arch, 3, DataType.DOUBLE);
        INDArray x = TestNetworks.gaussian(7, 4, 3, DataType.DOUBLE);
        INDArray full = TangentKernel.full(net, x);
        INDArray traced = TangentKernel.traced(full, 3);
        double expected = full.getDouble(1 * 3, 2 * 3) + full.getDouble(1 * 3 + 1, 2 * 3 + 1) + full.getDouble(1 * 3 + 2, 2 * 3 + 2);
        assertThat(traced.getDouble(1, 2)).isEqualTo(expected);
        assertThat(traced.shape()).containsExactly(4, 4);
    }
}
