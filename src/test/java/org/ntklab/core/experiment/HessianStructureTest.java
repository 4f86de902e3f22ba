package org.ntklab.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.TestNetworks;
import org.ntklab.core.layers.Conv2d;
import org.ntklab.core.layers.ConvArchitecture;
import org.ntklab.core.layers.LayeredNetwork;
import org.ntklab.core.model.LayeredModel;
import org.ntklab.core.model.MlpModel;
import org.ntklab.core.model.Model;
import org.ntklab.core.model.ParameterBlock;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.Network;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.spectral.LinearOperator;

class HessianStructureTest {

    /**
     * Block norms by Lanczos (run to 1e-12 relative residual: the Ritz value's error is residual^2 / gap)
     * against EJML's SVD of the dense block: float64 rounding of a few hundred products, far below 1e-8.
     */
    private static final double BLOCK_TOLERANCE = 1e-8;

    private static final LanczosOptions LANCZOS = LanczosOptions.defaults(11).withTolerance(1e-12);

    static Stream<Model> models() {
        return Stream.of(
                mlp(Activation.TANH, OutputMap.LINEAR, true),
                mlp(Activation.SWISH, OutputMap.SWISH, true),
                mlp(Activation.SOFTPLUS, OutputMap.LINEAR, false),
                new LayeredModel(LayeredNetwork.initialize(new ConvArchitecture(ConvArchitecture.Kind.CNN,
                        new int[] {2, 4, 4}, new int[] {3, 2}, 3, 1, Conv2d.Padding.SAME, 0, null,
                        ConvArchitecture.Pooling.AVERAGE, Activation.TANH, OutputMap.LINEAR, 1,
                        Parameterization.NTK).build(), 3, DataType.DOUBLE)));
    }

    private static Model mlp(Activation sigma, OutputMap phi, boolean trainOutput) {
        Architecture arch = Architecture.of(3, new int[] {4, 3, 5}, 2, sigma, phi, Parameterization.NTK, trainOutput,
                Init.GAUSSIAN);
        return new MlpModel(Network.initialize(arch, 17, DataType.DOUBLE));
    }

    private static INDArray input(Model model, long d) {
        return TestNetworks.gaussian(5, 1, Math.toIntExact(d), DataType.DOUBLE);
    }

    private static long inputDim(Model model) {
        return model instanceof MlpModel m ? m.network().architecture().inputDim()
                : ((LayeredModel) model).network().inputSize();
    }

    @ParameterizedTest
    @MethodSource("models")
    void blockNormsAreTheSingularValuesOfTheDenseHessiansBlocks(Model model) {
        LinearOperator h = model.hessian(input(model, inputDim(model)), model.outputDim() - 1);
        INDArray dense = DenseOperators.dense(h);
        List<ParameterBlock> layers = model.trainableLayers();
        assertThat(layers.stream().mapToLong(ParameterBlock::size).sum()).isEqualTo(model.parameterCount());
        List<BlockNorm> blocks = HessianStructure.blocks(h, layers, LANCZOS);
        assertThat(blocks).hasSize(layers.size() * (layers.size() + 1) / 2);
        double scale = DenseOperators.largestSingularValue(dense);
        int index = 0;
        for (int i = 0; i < layers.size(); i++) {
            for (int j = i; j < layers.size(); j++) {
                ParameterBlock a = layers.get(i);
                ParameterBlock b = layers.get(j);
                BlockNorm block = blocks.get(index++);
                double expected = DenseOperators.largestSingularValue(
                        DenseOperators.block(dense, a.offset(), a.size(), b.offset(), b.size()));
                assertThat(block.layers()).containsExactly(a.layer(), b.layer());
                assertThat(block.converged()).isTrue();
                assertThat(Math.abs(block.norm() - expected)).as("block %s", block.layers())
                        .isLessThanOrEqualTo(BLOCK_TOLERANCE * scale);
            }
        }
    }

    @Test
    void reluDiagonalBlocksAreExactlyZeroAfterOneStep() {
        Architecture arch = Architecture.of(3, new int[] {4, 3}, 1, Activation.RELU, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Model model = new MlpModel(Network.initialize(arch, 2, DataType.DOUBLE));
        LinearOperator h = model.hessian(TestNetworks.gaussian(8, 1, 3, DataType.DOUBLE), 0);
        List<BlockNorm> blocks = HessianStructure.blocks(h, model.trainableLayers(), LANCZOS);
        INDArray dense = DenseOperators.dense(h);
        for (BlockNorm b : blocks) {
            if (b.layers().get(0).equals(b.layers().get(1))) {
                assertThat(b.norm()).isZero();
                assertThat(b.iterations()).isEqualTo(1);
                assertThat(b.converged()).isTrue();
            } else {
                assertThat(b.norm()).isPositive();
            }
        }
        // the dense Hessian agrees: its diagonal blocks are zero
        for (ParameterBlock l : model.trainableLayers()) {
            assertThat(DenseOperators.block(dense, l.offset(), l.size(), l.offset(), l.size())
                    .amaxNumber().doubleValue()).isZero();
        }
    }

    @Test
    void shallowFrozenOutputHasOneBlockTheWholeHessianWithTheClosedFormNorm() {
        int m = 7;
        Architecture arch = Architecture.of(1, new int[] {m}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, false, Init.RADEMACHER);
        Network net = Network.initialize(arch, 4, DataType.DOUBLE);
        Model model = new MlpModel(net);
        double x = 0.8;
        LinearOperator h = model.hessian(Nd4j.createFromArray(new double[][] {{x}}), 0);
        List<BlockNorm> blocks = HessianStructure.blocks(h, model.trainableLayers(), LANCZOS);
        assertThat(blocks).singleElement().satisfies(b -> assertThat(b.layers()).containsExactly(1, 1));
        // SCIENCE.md: H_ii = v_i sigma''(w_i x) x^2 / sqrt(m)
        double expected = 0.0;
        for (int i = 0; i < m; i++) {
            double w = net.weight(1).getDouble(i, 0);
            double v = net.weight(2).getDouble(0, i);
            expected = Math.max(expected, Math.abs(v * Activation.TANH.at(w * x)[2] * x * x / Math.sqrt(m)));
        }
        assertThat(blocks.get(0).norm()).isCloseTo(expected, org.assertj.core.data.Offset.offset(BLOCK_TOLERANCE * expected));
        assertThat(blocks.get(0).norm()).isCloseTo(
                org.ntklab.core.spectral.Lanczos.estimate(h, LANCZOS).norm(),
                org.assertj.core.data.Offset.offset(BLOCK_TOLERANCE * expected));
    }

    @Test
    void cancellationIsCheckedBetweenBlocks() {
        Model model = mlp(Activation.TANH, OutputMap.LINEAR, true);
        LinearOperator h = model.hessian(input(model, 3), 0);
        int[] checks = {0};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HessianStructure.blocks(h, model.trainableLayers(),
                LANCZOS, () -> ++checks[0] > 2)).isInstanceOf(org.ntklab.core.train.CancelledException.class);
        assertThat(checks[0]).isEqualTo(3);
    }
}
