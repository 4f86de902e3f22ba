package org.ntklab.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.TestNetworks;
import org.ntklab.core.autodiff.ForwardPass;
import org.ntklab.core.kernel.TangentKernel;

class NetworkTest {

    /** NTK and standard parameterization compute the same products in a different order: float64 rounding. */
    private static final double SAME_FUNCTION_TOLERANCE = 1e-12;

    @Test
    void initialisationIsDeterministicInTheSeed() {
        Architecture arch = Architecture.of(4, new int[] {30, 20}, 2, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Network a = Network.initialize(arch, 42, DataType.DOUBLE);
        Network b = Network.initialize(arch, 42, DataType.DOUBLE);
        Network c = Network.initialize(arch, 43, DataType.DOUBLE);
        assertThat(a.parameters().equalsWithEps(b.parameters(), 0.0)).isTrue();
        assertThat(a.parameters().equalsWithEps(c.parameters(), 0.0)).isFalse();
    }

    @Test
    void addingALayerDoesNotChangeTheOthersDraws() {
        Architecture one = Architecture.of(4, new int[] {30}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Architecture two = Architecture.of(4, new int[] {30, 30}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        assertThat(Network.initialize(one, 7, DataType.DOUBLE).weight(1)
                .equalsWithEps(Network.initialize(two, 7, DataType.DOUBLE).weight(1), 0.0)).isTrue();
    }

    @Test
    void weightsAreLiveViewsOfTheParameterVectorInLayerOrder() {
        Architecture arch = Architecture.of(3, new int[] {4}, 2, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Network net = Network.initialize(arch, 1, DataType.DOUBLE);
        assertThat(net.parameterCount()).isEqualTo(4 * 3 + 2 * 4);
        // row-major: W_1[1, 2] is element 1 * 3 + 2; W_2[1, 0] follows W_1's 12 entries.
        assertThat(net.parameters().getDouble(5)).isEqualTo(net.weight(1).getDouble(1, 2));
        assertThat(net.parameters().getDouble(12 + 4)).isEqualTo(net.weight(2).getDouble(1, 0));
        net.parameters().putScalar(5, 123.0);
        assertThat(net.weight(1).getDouble(1, 2)).isEqualTo(123.0);
    }

    @Test
    void frozenLayersAreNotParameters() {
        Architecture arch = Architecture.of(3, new int[] {4}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, false, Init.RADEMACHER);
        Network net = Network.initialize(arch, 1, DataType.DOUBLE);
        assertThat(net.parameterCount()).isEqualTo(12);
        assertThat(net.offset(2)).isEqualTo(-1);
        INDArray v = net.weight(2);
        for (int i = 0; i < 4; i++) {
            assertThat(Math.abs(v.getDouble(0, i))).isEqualTo(1.0);
        }
        Network copy = net.copy();
        copy.parameters().addi(1.0);
        assertThat(net.weight(1).equalsWithEps(copy.weight(1), 0.0)).isFalse();
        assertThat(copy.weight(2)).isSameAs(net.weight(2));
    }

    @Test
    void initialVariancesFollowTheParameterization() {
        int fanIn = 400;
        Architecture ntk = Architecture.of(fanIn, new int[] {500}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Architecture standard = Architecture.of(fanIn, new int[] {500}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.STANDARD, true, Init.GAUSSIAN);
        INDArray w = Network.initialize(ntk, 3, DataType.DOUBLE).weight(1);
        INDArray s = Network.initialize(standard, 3, DataType.DOUBLE).weight(1);
        // 2e5 draws: the sample variance's standard error is sqrt(2 / 2e5) ~ 0.003 relative.
        assertThat(w.varNumber().doubleValue()).isCloseTo(1.0, within(0.02));
        assertThat(w.meanNumber().doubleValue()).isCloseTo(0.0, within(0.01));
        assertThat(s.varNumber().doubleValue() * fanIn).isCloseTo(1.0, within(0.02));
    }

    @Test
    void ntkAndStandardParameterizationAreTheSameFunctionAtInitialisation() {
        for (Activation sigma : Activation.values()) {
            Architecture ntk = Architecture.of(5, new int[] {9, 7}, 3, sigma, OutputMap.SOFTMAX, Parameterization.NTK,
                    true, Init.GAUSSIAN);
            Architecture std = Architecture.of(5, new int[] {9, 7}, 3, sigma, OutputMap.SOFTMAX,
                    Parameterization.STANDARD, true, Init.GAUSSIAN);
            INDArray x = TestNetworks.gaussian(2, 6, 5, DataType.DOUBLE);
            INDArray f1 = ForwardPass.run(Network.initialize(ntk, 9, DataType.DOUBLE), x).output();
            INDArray f2 = ForwardPass.run(Network.initialize(std, 9, DataType.DOUBLE), x).output();
            assertThat(f1.sub(f2).amaxNumber().doubleValue()).as(sigma.name()).isLessThan(SAME_FUNCTION_TOLERANCE);
        }
    }

    @Test
    void standardKernelIsTheNtkKernelScaledByFanInPerLayer() {
        // dW_std = sqrt(m_{l-1}) dW_ntk, so each layer's kernel term scales by m_{l-1} (paper, Appendix B).
        int[] hidden = {6, 5};
        INDArray x = TestNetworks.gaussian(4, 4, 3, DataType.DOUBLE);
        for (int layer = 1; layer <= 3; layer++) {
            boolean[] trainable = new boolean[3];
            trainable[layer - 1] = true;
            Architecture ntk = new Architecture(3, hidden, 1, Activation.TANH, OutputMap.LINEAR, Parameterization.NTK,
                    trainable, Init.GAUSSIAN);
            Architecture std = new Architecture(3, hidden, 1, Activation.TANH, OutputMap.LINEAR,
                    Parameterization.STANDARD, trainable, Init.GAUSSIAN);
            INDArray kNtk = TangentKernel.full(Network.initialize(ntk, 5, DataType.DOUBLE), x);
            INDArray kStd = TangentKernel.full(Network.initialize(std, 5, DataType.DOUBLE), x);
            double fanIn = ntk.width(layer - 1);
            assertThat(kStd.sub(kNtk.mul(fanIn)).norm2Number().doubleValue() / kStd.norm2Number().doubleValue())
                    .as("layer %d", layer).isLessThan(SAME_FUNCTION_TOLERANCE);
        }
    }

    @Test
    void float32NetworkHoldsTheFloat64DrawsRounded() {
        Architecture arch = Architecture.of(4, new int[] {16}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Network d = Network.initialize(arch, 8, DataType.DOUBLE);
        Network f = Network.initialize(arch, 8, DataType.FLOAT);
        assertThat(f.parameters().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(f.parameters().equalsWithEps(d.parameters().castTo(DataType.FLOAT), 0.0)).isTrue();
    }

    @Test
    void invalidArchitecturesAreRejectedWithAReason() {
        assertThatThrownBy(() -> Architecture.of(3, new int[] {0}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN)).hasMessageContaining("hidden widths");
        assertThatThrownBy(() -> Architecture.of(3, new int[] {4}, 1, Activation.TANH, OutputMap.SOFTMAX,
                Parameterization.NTK, true, Init.GAUSSIAN)).hasMessageContaining("softmax");
        assertThatThrownBy(() -> new Architecture(3, new int[] {4}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, new boolean[] {false, false}, Init.GAUSSIAN)).hasMessageContaining("trainable");
        assertThatThrownBy(() -> Network.initialize(Architecture.of(3, new int[] {4}, 1, Activation.TANH,
                OutputMap.LINEAR, Parameterization.NTK, true, Init.GAUSSIAN), 1, DataType.HALF))
                .hasMessageContaining("DOUBLE or FLOAT");
    }
}
