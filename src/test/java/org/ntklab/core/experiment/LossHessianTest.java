package org.ntklab.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.TestNetworks;
import org.ntklab.core.autodiff.ForwardPass;
import org.ntklab.core.kernel.ExplicitJacobian;
import org.ntklab.core.layers.Conv2d;
import org.ntklab.core.layers.ConvArchitecture;
import org.ntklab.core.layers.LayeredNetwork;
import org.ntklab.core.model.LayeredModel;
import org.ntklab.core.model.MlpModel;
import org.ntklab.core.model.Model;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.Network;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.spectral.KernelSpectrum;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.train.Loss;

class LossHessianTest {

    /** Central-difference step for gradients: truncation ~ eps^2 ||L''''|| ~ 1e-10, rounding ~ 1e-16 / eps. */
    private static final double FD_STEP = 1e-5;
    /** The exact operator against central differences of exact gradients, relative to the largest entry. */
    private static final double FD_RELATIVE_TOLERANCE = 1e-6;
    /** Two exact computations of the same matrix (operator and explicit Jacobian): float64 rounding. */
    private static final double EXACT_RELATIVE_TOLERANCE = 1e-10;
    /** Lanczos to 1e-12 relative residual against another eigenvalue: residual^2 / gap, rounding dominates. */
    private static final double EIGEN_RELATIVE_TOLERANCE = 1e-8;

    private static final LanczosOptions LANCZOS = LanczosOptions.defaults(5).withTolerance(1e-12);

    private static Model mlp(Activation sigma, OutputMap phi, int c) {
        Architecture arch = Architecture.of(3, new int[] {4, 3}, c, sigma, phi, Parameterization.NTK, true,
                Init.GAUSSIAN);
        return new MlpModel(Network.initialize(arch, 13, DataType.DOUBLE));
    }

    private static Model cnn() {
        return new LayeredModel(LayeredNetwork.initialize(new ConvArchitecture(ConvArchitecture.Kind.CNN,
                new int[] {1, 4, 4}, new int[] {2}, 3, 1, Conv2d.Padding.SAME, 0, null,
                ConvArchitecture.Pooling.AVERAGE, Activation.SWISH, OutputMap.LINEAR, 2, Parameterization.NTK)
                .build(), 3, DataType.DOUBLE));
    }

    /** One-hot-ish soft targets (rows summing to 1) for cross-entropy, Gaussian targets otherwise. */
    private static INDArray targets(int n, int c, Loss loss) {
        INDArray y = TestNetworks.gaussian(31, n, c, DataType.DOUBLE);
        if (loss == Loss.CROSS_ENTROPY) {
            y = Nd4j.math().abs(y);
            y.diviColumnVector(y.sum(true, 1));
        }
        return y;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(mlp(Activation.TANH, OutputMap.LINEAR, 2), Loss.SQUARED_ERROR, 3),
                Arguments.of(mlp(Activation.SWISH, OutputMap.SWISH, 1), Loss.SQUARED_ERROR, 3),
                Arguments.of(mlp(Activation.SOFTPLUS, OutputMap.SOFTMAX, 3), Loss.CROSS_ENTROPY, 3),
                Arguments.of(cnn(), Loss.SQUARED_ERROR, 16));
    }

    /** grad L(w) = J^T dL/dF at w, from the model's exact VJP. */
    private static INDArray lossGradient(Model model, INDArray x, INDArray y, Loss loss) {
        INDArray f;
        try (Model.Evaluation e = model.evaluate(x)) {
            f = e.output().dup();
        }
        double n = x.rows();
        INDArray dF = loss == Loss.SQUARED_ERROR ? f.sub(y).divi(n) : y.div(f).divi(-n);
        return model.vjp(x, dF);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void equalsTheFiniteDifferenceHessianOfExactLossGradients(Model model, Loss loss, int d) {
        int n = 3;
        INDArray x = TestNetworks.gaussian(7, n, d, DataType.DOUBLE);
        INDArray y = targets(n, model.outputDim(), loss);
        INDArray exact = DenseOperators.dense(LossHessian.of(model, x, y, loss));
        int p = Math.toIntExact(model.parameterCount());
        INDArray fd = Nd4j.create(DataType.DOUBLE, p, p);
        INDArray w = model.parameters();
        for (int j = 0; j < p; j++) {
            double saved = w.getDouble(j);
            w.putScalar(j, saved + FD_STEP);
            INDArray plus = lossGradient(model, x, y, loss);
            w.putScalar(j, saved - FD_STEP);
            INDArray minus = lossGradient(model, x, y, loss);
            w.putScalar(j, saved);
            fd.getColumn(j).assign(plus.subi(minus).divi(2 * FD_STEP));
        }
        double scale = exact.amaxNumber().doubleValue();
        assertThat(scale).isPositive();
        assertThat(exact.sub(fd).amaxNumber().doubleValue()).isLessThanOrEqualTo(FD_RELATIVE_TOLERANCE * scale);
        // the loss for cross-entropy is the engine's own (computed from g), so these gradients are the trained ones
        if (model instanceof MlpModel mlp) {
            INDArray engine = Nd4j.create(DataType.DOUBLE, p);
            loss.gradient(ForwardPass.run(mlp.network(), x), y, engine);
            assertThat(engine.sub(lossGradient(model, x, y, loss)).amaxNumber().doubleValue())
                    .isLessThanOrEqualTo(EXACT_RELATIVE_TOLERANCE * engine.amaxNumber().doubleValue() + 1e-15);
        }
    }

    @Test
    void gaussNewtonPartIsTheJacobianGramOverN() {
        Model model = mlp(Activation.TANH, OutputMap.TANH, 2);
        Network net = ((MlpModel) model).network();
        int n = 4;
        INDArray x = TestNetworks.gaussian(3, n, 3, DataType.DOUBLE);
        INDArray y = targets(n, 2, Loss.SQUARED_ERROR);
        INDArray gn = DenseOperators.dense(LossHessian.gaussNewton(model, x, y, Loss.SQUARED_ERROR));
        INDArray j = ExplicitJacobian.jacobian(net, x);
        INDArray expected = j.transpose().mmul(j).divi(n);
        assertThat(gn.sub(expected).amaxNumber().doubleValue())
                .isLessThanOrEqualTo(EXACT_RELATIVE_TOLERANCE * expected.amaxNumber().doubleValue());
        // and the reported Gauss-Newton eigenvalue is lambda_max(K) / n with K = J J^T
        double kernelMax = KernelSpectrum.of(model.tangentKernel(model.evaluate(x))).lambdaMax();
        LossHessianEstimate e = LossHessian.estimate(model, x, y, Loss.SQUARED_ERROR, LANCZOS, kernelMax);
        double[] dense = org.ntklab.core.spectral.SymmetricEigen.eigenvalues(gn);
        assertThat(e.gaussNewtonLambdaMax()).isCloseTo(dense[dense.length - 1],
                within(EIGEN_RELATIVE_TOLERANCE * dense[dense.length - 1]));
    }

    @Test
    void atZeroResidualTheTopEigenvaluesOfTheLossHessianAndItsGaussNewtonPartAgree() {
        Model model = mlp(Activation.SWISH, OutputMap.SWISH, 2);
        int n = 3;
        INDArray x = TestNetworks.gaussian(9, n, 3, DataType.DOUBLE);
        INDArray y;
        try (Model.Evaluation e = model.evaluate(x)) {
            y = e.output().dup(); // zero residual: the R-operator term vanishes
        }
        double kernelMax = KernelSpectrum.of(model.tangentKernel(model.evaluate(x))).lambdaMax();
        LossHessianEstimate e = LossHessian.estimate(model, x, y, Loss.SQUARED_ERROR, LANCZOS, kernelMax);
        assertThat(e.converged()).isTrue();
        assertThat(e.lambdaMax()).isCloseTo(e.gaussNewtonLambdaMax(), within(EIGEN_RELATIVE_TOLERANCE * e.lambdaMax()));
        assertThat(e.lambdaMin()).isGreaterThan(-EIGEN_RELATIVE_TOLERANCE * e.lambdaMax()); // PSD
        // both extremes agree with the dense matrix (lambda_min is the smallest, ~0: J^T J / n has rank <= n c < p)
        double[] dense = org.ntklab.core.spectral.SymmetricEigen.eigenvalues(
                DenseOperators.dense(LossHessian.of(model, x, y, Loss.SQUARED_ERROR)));
        assertThat(e.lambdaMin()).isCloseTo(dense[0], within(EIGEN_RELATIVE_TOLERANCE * e.lambdaMax()));
    }

    @Test
    void bothExtremesOfAnIndefiniteLossHessianConverge() {
        Model model = mlp(Activation.TANH, OutputMap.SWISH, 2);
        int n = 3;
        INDArray x = TestNetworks.gaussian(2, n, 3, DataType.DOUBLE);
        INDArray y = targets(n, 2, Loss.SQUARED_ERROR).muli(3.0); // a large residual: indefinite
        LossHessianEstimate e = LossHessian.estimate(model, x, y, Loss.SQUARED_ERROR, LANCZOS, 1.0);
        double[] dense = org.ntklab.core.spectral.SymmetricEigen.eigenvalues(
                DenseOperators.dense(LossHessian.of(model, x, y, Loss.SQUARED_ERROR)));
        double scale = Math.max(Math.abs(dense[0]), dense[dense.length - 1]);
        assertThat(dense[0]).isNegative();
        assertThat(e.converged()).isTrue();
        assertThat(e.lambdaMax()).isCloseTo(dense[dense.length - 1], within(EIGEN_RELATIVE_TOLERANCE * scale));
        assertThat(e.lambdaMin()).isCloseTo(dense[0], within(EIGEN_RELATIVE_TOLERANCE * scale));
    }
}
