package org.ntklab.core.layers;

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
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.rng.SeededRandom;

/** Each layer's rules on their own: the forward pass against a direct formula, and the adjoint identities. */
class LayerRulesTest {

    /** Adjoint identities and direct formulas: float64 rounding over a few hundred terms. */
    private static final double ROUNDING = 1e-12;

    static Stream<Layer> layers() {
        Serial branch = Serial.from(2, 5, 5).add(Conv2d.of(2, 5, 5, 2, 3, 1, Conv2d.Padding.SAME, Parameterization.NTK))
                .add(new Pointwise(Activation.TANH, new long[] {2, 5, 5}))
                .add(Conv2d.of(2, 5, 5, 2, 3, 1, Conv2d.Padding.SAME, Parameterization.NTK)).build();
        return Stream.of(
                new Dense(4, 3, Parameterization.NTK),
                new Dense(4, 3, Parameterization.STANDARD),
                Conv2d.of(2, 5, 5, 3, 3, 1, Conv2d.Padding.SAME, Parameterization.NTK),
                Conv2d.of(2, 5, 5, 3, 3, 2, Conv2d.Padding.VALID, Parameterization.STANDARD),
                Conv2d.of(2, 6, 5, 3, 3, 2, Conv2d.Padding.SAME, Parameterization.NTK),
                Conv2d.of(2, 4, 4, 3, 2, 1, Conv2d.Padding.VALID, Parameterization.NTK),
                Conv2d.oneDimensional(2, 7, 3, 3, 2, Conv2d.Padding.SAME, Parameterization.NTK),
                new Pointwise(Activation.SWISH, new long[] {2, 3}),
                new GlobalAvgPool(new long[] {3, 2, 2}),
                new Flatten(new long[] {3, 2, 2}),
                new Residual(branch, 0.7));
    }

    private static INDArray random(long seed, long... shape) {
        long size = 1;
        for (long s : shape) {
            size *= s;
        }
        double[] v = new double[Math.toIntExact(size)];
        new SeededRandom(seed).fillGaussian(v, 1.0);
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }

    private static long[] batch(int n, long[] shape) {
        long[] out = new long[shape.length + 1];
        out[0] = n;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    private static double dot(INDArray a, INDArray b) {
        return a.reshape(a.length()).mul(b.reshape(b.length())).sumNumber().doubleValue();
    }

    @ParameterizedTest
    @MethodSource("layers")
    void adjointIdentityHoldsForTheInputAndTheParameters(Layer layer) {
        int n = 3;
        long p = layer.parameterCount();
        INDArray theta = p == 0 ? null : random(1, p);
        INDArray a = random(2, batch(n, layer.inputShape()));
        Layer.Trace trace = layer.forward(theta, a);
        INDArray u = random(3, batch(n, layer.outputShape()));
        INDArray da = random(4, batch(n, layer.inputShape()));
        INDArray zero = p == 0 ? null : Nd4j.zeros(DataType.DOUBLE, p);
        INDArray gradient = p == 0 ? null : Nd4j.create(DataType.DOUBLE, p);
        INDArray deltaIn = layer.backward(theta, trace, u, gradient, true);
        // <u, J_a dA> = <J_a^T u, dA>
        INDArray jda = layer.tangent(theta, zero, trace, da).output();
        double lhs = dot(u, jda);
        assertThat(Math.abs(lhs - dot(deltaIn, da))).as("input adjoint").isLessThan(ROUNDING * (1 + Math.abs(lhs)));
        if (p > 0) {
            // <u, J_theta v> = <J_theta^T u, v>
            INDArray v = random(5, p);
            INDArray jv = layer.tangent(theta, v, trace, null).output();
            double l2 = dot(u, jv);
            assertThat(Math.abs(l2 - dot(gradient, v))).as("parameter adjoint").isLessThan(ROUNDING * (1 + Math.abs(l2)));
        }
    }

    @ParameterizedTest
    @MethodSource("layers")
    void tangentMatchesCentralDifferencesOfTheForwardPass(Layer layer) {
        long p = layer.parameterCount();
        INDArray theta = p == 0 ? null : random(1, p);
        INDArray a = random(2, batch(2, layer.inputShape()));
        INDArray da = random(4, batch(2, layer.inputShape()));
        INDArray v = p == 0 ? null : random(5, p);
        double eps = 1e-6;
        INDArray plus = layer.forward(p == 0 ? null : theta.add(v.mul(eps)), a.add(da.mul(eps))).output();
        INDArray minus = layer.forward(p == 0 ? null : theta.sub(v.mul(eps)), a.sub(da.mul(eps))).output();
        INDArray fd = plus.sub(minus).div(2 * eps);
        INDArray exact = layer.tangent(theta, v, layer.forward(theta, a), da).output();
        assertThat(exact.sub(fd).norm2Number().doubleValue()).isLessThan(1e-7 * (1 + fd.norm2Number().doubleValue()));
    }

    @Test
    void convolutionMatchesTheDirectSum() {
        for (int stride = 1; stride <= 2; stride++) {
            for (Conv2d.Padding padding : Conv2d.Padding.values()) {
                Conv2d conv = Conv2d.of(2, 5, 6, 3, 3, stride, padding, Parameterization.NTK);
                INDArray w = random(7, conv.parameterCount());
                INDArray x = random(8, 2, 2, 5, 6);
                INDArray z = conv.forward(w, x).output();
                INDArray k = w.reshape('c', 3, 2, 3, 3);
                int pad = padding == Conv2d.Padding.SAME ? 1 : 0;
                long[] out = conv.outputShape();
                assertThat(z.shape()).containsExactly(2, out[0], out[1], out[2]);
                double s = 1 / Math.sqrt(2 * 9);
                for (int n = 0; n < 2; n++) {
                    for (int o = 0; o < 3; o++) {
                        for (int y = 0; y < out[1]; y++) {
                            for (int xx = 0; xx < out[2]; xx++) {
                                double sum = 0;
                                for (int c = 0; c < 2; c++) {
                                    for (int i = 0; i < 3; i++) {
                                        for (int j = 0; j < 3; j++) {
                                            int yy = y * stride + i - pad;
                                            int xj = xx * stride + j - pad;
                                            if (yy >= 0 && yy < 5 && xj >= 0 && xj < 6) {
                                                sum += k.getDouble(o, c, i, j) * x.getDouble(n, c, yy, xj);
                                            }
                                        }
                                    }
                                }
                                assertThat(z.getDouble(n, o, y, xx)).isCloseTo(s * sum,
                                        org.assertj.core.data.Offset.offset(ROUNDING));
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void oneByOneConvolutionOnOneByOneImagesIsADenseLayer() {
        Conv2d conv = Conv2d.of(5, 1, 1, 3, 1, 1, Conv2d.Padding.VALID, Parameterization.NTK);
        Dense dense = new Dense(5, 3, Parameterization.NTK);
        INDArray w = random(9, 15);
        INDArray x = random(10, 4, 5);
        INDArray viaConv = conv.forward(w, x.reshape(4, 5, 1, 1)).output().reshape(4, 3);
        INDArray viaDense = dense.forward(w, x).output();
        assertThat(viaConv.sub(viaDense).normmaxNumber().doubleValue()).isLessThan(ROUNDING);
        INDArray u = random(11, 4, 3);
        INDArray g1 = Nd4j.create(DataType.DOUBLE, 15);
        INDArray g2 = Nd4j.create(DataType.DOUBLE, 15);
        INDArray d1 = conv.backward(w, conv.forward(w, x.reshape(4, 5, 1, 1)), u.reshape(4, 3, 1, 1), g1, true);
        INDArray d2 = dense.backward(w, dense.forward(w, x), u, g2, true);
        assertThat(g1.sub(g2).normmaxNumber().doubleValue()).isLessThan(ROUNDING);
        assertThat(d1.reshape(4, 5).sub(d2).normmaxNumber().doubleValue()).isLessThan(ROUNDING);
    }

    @Test
    void residualWithZeroScaleIsTheIdentity() {
        Serial branch = Serial.from(2, 4, 4).add(Conv2d.of(2, 4, 4, 2, 3, 1, Conv2d.Padding.SAME, Parameterization.NTK))
                .add(new Pointwise(Activation.TANH, new long[] {2, 4, 4}))
                .add(Conv2d.of(2, 4, 4, 2, 3, 1, Conv2d.Padding.SAME, Parameterization.NTK)).build();
        Residual block = new Residual(branch, 0.0);
        INDArray theta = random(12, block.parameterCount());
        INDArray x = random(13, 3, 2, 4, 4);
        Layer.Trace trace = block.forward(theta, x);
        assertThat(trace.output()).isEqualTo(x);
        INDArray u = random(14, 3, 2, 4, 4);
        INDArray gradient = Nd4j.create(DataType.DOUBLE, block.parameterCount());
        assertThat(block.backward(theta, trace, u, gradient, true)).isEqualTo(u);
        assertThat(gradient.normmaxNumber().doubleValue()).isZero();
    }

    @Test
    void theConvolutionKeepsTheDtype() {
        Conv2d conv = Conv2d.of(2, 4, 4, 3, 3, 1, Conv2d.Padding.SAME, Parameterization.NTK);
        INDArray w = random(1, conv.parameterCount()).castTo(DataType.FLOAT);
        INDArray x = random(2, 2, 2, 4, 4).castTo(DataType.FLOAT);
        Layer.Trace t = conv.forward(w, x);
        assertThat(t.output().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(conv.backward(w, t, t.output(), Nd4j.create(DataType.FLOAT, conv.parameterCount()), true)
                .dataType()).isEqualTo(DataType.FLOAT);
        assertThat(List.of(TestNetworks.class)).isNotEmpty();
    }
}
