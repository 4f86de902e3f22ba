package org.ntklab.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ActivationTest {

    /** Central differences with h = 1e-5: truncation ~ h^2 |f'''| ~ 1e-10, rounding ~ 1e-16 / h. */
    private static final double DERIVATIVE_TOLERANCE = 1e-8;
    private static final double H = 1e-5;

    @ParameterizedTest
    @EnumSource(Activation.class)
    void derivativesMatchCentralDifferences(Activation sigma) {
        for (double x = -3.7; x < 4; x += 0.31) {
            if (sigma == Activation.RELU && Math.abs(x) < 2 * H) {
                continue;
            }
            double[] at = sigma.at(x);
            double d1 = (sigma.at(x + H)[0] - sigma.at(x - H)[0]) / (2 * H);
            double d2 = (sigma.at(x + H)[1] - sigma.at(x - H)[1]) / (2 * H);
            assertThat(at[1]).as("%s' at %f", sigma, x).isCloseTo(d1, within(DERIVATIVE_TOLERANCE));
            assertThat(at[2]).as("%s'' at %f", sigma, x).isCloseTo(d2, within(DERIVATIVE_TOLERANCE));
        }
    }

    @Test
    void tanhNearZeroIsWithinOneUlpOfTheCorrectlyRoundedValue() {
        // correctly rounded tanh of these doubles, from 40-digit decimal arithmetic (Python's decimal)
        double[][] exact = {{0.001, 0.0009999996666668}, {0.1, 0.09966799462495582}, {0.3, 0.2913126124515909},
            {0.54, 0.49298796667532435}};
        for (double[] pair : exact) {
            assertThat(Activation.tanh(pair[0])).as("tanh %s", pair[0]).isCloseTo(pair[1], within(Math.ulp(pair[1])));
        }
        // A dense sweep against fdlibm's tanh (StrictMath): fdlibm itself is off by up to ~2.3 ulp here
        // (at x = 0.057603 it returns ...524 where the correctly rounded value is ...5224), ours by < 1.
        for (int i = 0; i <= 200_000; i++) {
            double x = 0.6 * i / 200_000;
            double strict = StrictMath.tanh(x);
            assertThat(Activation.tanh(x)).as("tanh %s", x).isCloseTo(strict, within(3.5 * Math.ulp(strict)));
        }
        assertThat(Activation.tanh(0.057603)).isEqualTo(0.057539373500645224);
    }

    @Test
    void handValues() {
        for (double x : new double[] {1e-300, 1e-8, 0.1, 0.5, 0.549, 0.55, 0.7, 3.0, 21.9, 30.0}) {
            // within 2 ulp of the correctly rounded tanh (Math.tanh is within 1 ulp)
            assertThat(Activation.TANH.at(x)[0]).as("tanh %s", x).isCloseTo(Math.tanh(x), within(3 * Math.ulp(Math.tanh(x))));
            assertThat(Activation.TANH.at(-x)[0]).isEqualTo(-Activation.TANH.at(x)[0]);
        }
        assertThat(Activation.SIGMOID.at(0.0)[0]).isEqualTo(0.5);
        assertThat(Activation.SWISH.at(0.0)[2]).isEqualTo(0.5); // phi''(0) = 1/2, the paper's width-independent term
        assertThat(Activation.SOFTPLUS.at(0.0)[0]).isCloseTo(Math.log(2.0), within(1e-16));
        assertThat(Activation.ERF.at(1.0)[0]).isCloseTo(0.8427007929497149, within(2e-16));
        assertThat(Activation.GELU.at(1.0)[0]).isCloseTo(0.8413447460685429, within(2e-16));
        assertThat(Activation.RELU.at(-2.0)).containsExactly(0.0, 0.0, 0.0);
        assertThat(Activation.SOFTPLUS.at(800.0)[0]).isEqualTo(800.0); // no overflow
        assertThat(Activation.SIGMOID.at(-800.0)[0]).isEqualTo(0.0);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void bulkEvaluationEqualsScalarOnArraysAndViews(Activation sigma) {
        for (DataType dtype : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray parent = Nd4j.linspace(-3, 3, 40, DataType.DOUBLE).castTo(dtype).reshape(4, 10);
            INDArray z = parent.getRow(2);
            INDArray value = Nd4j.create(dtype, 10);
            INDArray d1 = Nd4j.create(dtype, 10);
            INDArray d2 = Nd4j.create(dtype, 10);
            sigma.evaluate(z, value, d1, d2);
            double tolerance = dtype == DataType.DOUBLE ? 0.0 : 1e-6;
            for (int i = 0; i < 10; i++) {
                double[] want = sigma.at(z.getDouble(i));
                assertThat(value.getDouble(i)).isCloseTo(want[0], within(tolerance + 1e-16));
                assertThat(d1.getDouble(i)).isCloseTo(want[1], within(tolerance + 1e-16));
                assertThat(d2.getDouble(i)).isCloseTo(want[2], within(tolerance + 1e-16));
            }
        }
    }
}
