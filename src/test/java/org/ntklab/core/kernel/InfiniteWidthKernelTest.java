package org.ntklab.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.TestNetworks;
import org.ntklab.core.fit.PowerLawFit;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.Network;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.train.Cancellation;

/**
 * Theta_inf three ways: hand formulas (shallow nets, deep linear nets), the empirical kernel
 * averaged over seeds at large width, and the m^(-1/2) decay of the distance at init.
 */
class InfiniteWidthKernelTest {

    /** Hand formulas and the recursion use the same closed forms in a different order: rounding only. */
    private static final double HAND_TOLERANCE = 1e-13;
    /** The empirical mean over seeds must lie within this many standard errors of Theta_inf (entry-wise). */
    private static final double STANDARD_ERRORS = 3.0;

    private static final INDArray X = TestNetworks.gaussian(3, 4, 3, DataType.DOUBLE);

    private static Architecture mlp(int[] hidden, Activation sigma, boolean[] trainable, Init outputInit) {
        return new Architecture(3, hidden, 1, sigma, OutputMap.LINEAR, Parameterization.NTK, trainable, outputInit);
    }

    /** Shallow relu: Theta = (x.x'/d) E[relu' relu'] + E[relu relu] with the arc-cosine kernels written with arccos. */
    @Test
    void shallowReluEqualsTheHandFormula() {
        for (boolean trainOutput : new boolean[] {true, false}) {
            Architecture arch = mlp(new int[] {7}, Activation.RELU, new boolean[] {true, trainOutput}, Init.RADEMACHER);
            INDArray theta = InfiniteWidthKernel.of(arch, X, GaussianExpectation.CLOSED_FORM_WHERE_KNOWN,
                    Cancellation.NEVER).theta();
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    double a = dot(i, i) / 3;
                    double b = dot(j, j) / 3;
                    double c = dot(i, j) / 3;
                    double angle = i == j ? 0 : Math.acos(c / Math.sqrt(a * b));
                    double derivative = (Math.PI - angle) / (2 * Math.PI);
                    double value = Math.sqrt(a * b) * (Math.sin(angle) + (Math.PI - angle) * Math.cos(angle))
                            / (2 * Math.PI);
                    double expected = c * derivative + (trainOutput ? value : 0);
                    assertEquals(expected, theta.getDouble(i, j), HAND_TOLERANCE * Math.abs(expected) + 1e-15);
                }
            }
        }
    }

    /** Shallow erf with a frozen output: Theta = (x.x'/d) (4/pi) / sqrt((1 + 2a)(1 + 2b) - 4c^2). */
    @Test
    void shallowErfWithFrozenOutputEqualsTheHandFormula() {
        Architecture arch = mlp(new int[] {5}, Activation.ERF, new boolean[] {true, false}, Init.GAUSSIAN);
        INDArray theta = InfiniteWidthKernel.of(arch, X, GaussianExpectation.CLOSED_FORM_WHERE_KNOWN,
                Cancellation.NEVER).theta();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double a = dot(i, i) / 3;
                double b = dot(j, j) / 3;
                double c = dot(i, j) / 3;
                double expected = c * 4 / Math.PI / Math.sqrt((1 + 2 * a) * (1 + 2 * b) - 4 * c * c);
                assertEquals(expected, theta.getDouble(i, j), HAND_TOLERANCE * Math.abs(expected) + 1e-15);
            }
        }
    }

    /** A deep linear net: every C_l = X X^T / d and Cdot_l = 1, so Theta = (trainable layers) X X^T / d. */
    @Test
    void deepLinearNetCountsItsTrainableLayers() {
        Architecture arch = mlp(new int[] {4, 9, 2}, Activation.IDENTITY, new boolean[] {true, false, true, true},
                Init.GAUSSIAN);
        INDArray theta = InfiniteWidthKernel.of(arch, X, GaussianExpectation.CLOSED_FORM_WHERE_KNOWN,
                Cancellation.NEVER).theta();
        INDArray expected = X.mmul(X.transpose()).muli(3.0 / 3);
        assertThat(theta.sub(expected).norm2Number().doubleValue()).isLessThan(1e-13);
    }

    /** Quadrature and closed forms give the same deep relu and erf kernels (1e-10 per expectation). */
    @Test
    void quadratureReproducesTheClosedFormKernels() {
        for (Activation sigma : new Activation[] {Activation.RELU, Activation.ERF}) {
            Architecture arch = mlp(new int[] {3, 3}, sigma, new boolean[] {true, true, true}, Init.GAUSSIAN);
            InfiniteWidthKernel.Limit exact = InfiniteWidthKernel.of(arch, X,
                    GaussianExpectation.CLOSED_FORM_WHERE_KNOWN, Cancellation.NEVER);
            InfiniteWidthKernel.Limit quadrature = InfiniteWidthKernel.of(arch, X, GaussianExpectation.QUADRATURE,
                    Cancellation.NEVER);
            assertTrue(quadrature.converged() && quadrature.quadrature() && !exact.quadrature());
            double error = quadrature.theta().sub(exact.theta()).norm2Number().doubleValue()
                    / exact.theta().norm2Number().doubleValue();
            assertThat(error).as(sigma.toString()).isLessThan(1e-9);
        }
    }

    /**
     * The empirical kernel K(w_0) averaged over 20 seeds lies within 3 standard errors of Theta_inf
     * in every entry: a shallow tanh net at m = 10^5 (quadrature), and deep nets at m = 1500 (their
     * O(1/m) bias, about 10^-3 relative, is a tenth of 3 standard errors) with frozen layers.
     */
    @Test
    void empiricalKernelAveragesToTheLimit() {
        assertAveragesToTheLimit(mlp(new int[] {100_000}, Activation.TANH, new boolean[] {true, true}, Init.GAUSSIAN));
        assertAveragesToTheLimit(mlp(new int[] {1500, 1500}, Activation.RELU, new boolean[] {false, true, true},
                Init.GAUSSIAN));
        assertAveragesToTheLimit(mlp(new int[] {1500, 1500}, Activation.SWISH, new boolean[] {true, true, false},
                Init.RADEMACHER));
    }

    private static void assertAveragesToTheLimit(Architecture arch) {
        int seeds = 20;
        int n = (int) X.rows();
        double[][] sum = new double[n][n];
        double[][] squares = new double[n][n];
        for (int s = 0; s < seeds; s++) {
            INDArray k = TangentKernel.full(Network.initialize(arch, 1000 + s, DataType.DOUBLE), X);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double v = k.getDouble(i, j);
                    sum[i][j] += v;
                    squares[i][j] += v * v;
                }
            }
        }
        INDArray theta = InfiniteWidthKernel.of(arch, X, GaussianExpectation.CLOSED_FORM_WHERE_KNOWN,
                Cancellation.NEVER).theta();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double mean = sum[i][j] / seeds;
                double variance = (squares[i][j] - seeds * mean * mean) / (seeds - 1);
                double standardError = Math.sqrt(variance / seeds);
                assertThat(Math.abs(mean - theta.getDouble(i, j))).as("%s entry (%d, %d)", arch, i, j)
                        .isLessThanOrEqualTo(STANDARD_ERRORS * standardError);
            }
        }
    }

    /** dK_inf at init over m = 10^2..10^4, 10 seeds per width: fitted slope in [-0.6, -0.4]. */
    @Test
    void distanceAtInitShrinksLikeTheInverseSquareRootOfWidth() {
        int[] widths = {100, 316, 1000, 3162, 10_000};
        int seeds = 10;
        INDArray x = TestNetworks.gaussian(9, 6, 3, DataType.DOUBLE);
        double[] m = new double[widths.length * seeds];
        double[] distance = new double[m.length];
        int at = 0;
        for (int width : widths) {
            Architecture arch = mlp(new int[] {width}, Activation.TANH, new boolean[] {true, true}, Init.GAUSSIAN);
            INDArray theta = InfiniteWidthKernel.of(arch, x, GaussianExpectation.CLOSED_FORM_WHERE_KNOWN,
                    Cancellation.NEVER).theta();
            for (int s = 0; s < seeds; s++, at++) {
                m[at] = width;
                distance[at] = InfiniteWidthKernel.distance(
                        TangentKernel.full(Network.initialize(arch, 77 + s, DataType.DOUBLE), x), theta, 1);
            }
        }
        assertThat(PowerLawFit.of(m, distance).slope()).isBetween(-0.6, -0.4);
    }

    /** With c outputs the limit is Theta (x) I_c: the distance equals the one to an explicit Kronecker product. */
    @Test
    void distanceComparesWithTheKroneckerProductOverOutputs() {
        int c = 3;
        INDArray theta = TestNetworks.gaussian(4, 4, 4, DataType.DOUBLE);
        INDArray kernel = TestNetworks.gaussian(5, 4 * c, 4 * c, DataType.DOUBLE);
        INDArray kron = Nd4j.zeros(DataType.DOUBLE, 4 * c, 4 * c);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < c; k++) {
                    kron.putScalar(i * c + k, j * c + k, theta.getDouble(i, j));
                }
            }
        }
        double expected = kernel.distance2(kron) / kron.norm2Number().doubleValue();
        assertEquals(expected, InfiniteWidthKernel.distance(kernel, theta, c), 1e-14 * expected);
        assertEquals(0.0, InfiniteWidthKernel.distance(kron, theta, c), 0.0);
    }

    @Test
    void undefinedForNonLinearOutputsAndTheStandardParameterization() {
        Architecture linear = mlp(new int[] {4}, Activation.TANH, new boolean[] {true, true}, Init.GAUSSIAN);
        assertNull(InfiniteWidthKernel.undefinedReason(linear));
        Architecture swish = Architecture.of(3, new int[] {4}, 1, Activation.TANH, OutputMap.SWISH,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Architecture standard = Architecture.of(3, new int[] {4}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.STANDARD, true, Init.GAUSSIAN);
        assertThat(InfiniteWidthKernel.undefinedReason(swish)).contains("linear output map");
        assertThat(InfiniteWidthKernel.undefinedReason(standard)).contains("NTK parameterization");
        assertThrows(IllegalArgumentException.class, () -> InfiniteWidthKernel.of(swish, X,
                GaussianExpectation.CLOSED_FORM_WHERE_KNOWN, Cancellation.NEVER));
    }

    private static double dot(int i, int j) {
        return X.getRow(i).mul(X.getRow(j)).sumNumber().doubleValue();
    }
}
