package org.ntklab.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Flat;
import org.ntklab.core.array.Simd;

/**
 * tanh over native memory in place (the vector loops read and write an ND4J array's memory as they
 * compute, with no heap chunks): the same bits as the scalar formulas for every element, whatever
 * the array's offset in its buffer (every start within a cache line, so every length of the scalar
 * head before the first whole line), its length (whole vectors and a scalar tail), the outputs asked
 * for, lanes that need the scalar code (|x| past 350, infinities, NaN) anywhere in a vector, and an
 * output that is the input.
 */
class ActivationNativeMemoryTest {

    private static final double[] SCALES = {0.3, 3.0, 30.0};
    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        349.99, 350.0, -350.0, 351.0, 800.0, -1e300, Double.MIN_VALUE, -Double.MIN_NORMAL, 1e-300, 19.1, -22.0};

    @Test
    void tanhInPlaceGivesTheScalarFormulasBitsAtEveryOffsetLengthAndOutputSet() {
        assumeTrue(Simd.vector(), "the Vector API is not present");
        assertThat(Activation.loops().direct(Activation.TANH)).isTrue();
        SplittableRandom random = new SplittableRandom(21);
        for (int len : new int[] {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 1023, 1025, 4099}) {
            for (int offset = 0; offset < 8; offset++) { // every start within a 64-byte line: the scalar head's lengths
                double[] x = new double[len];
                for (int i = 0; i < len; i++) {
                    // blocks of 8 at scales 0.3, 3 and 30: vectors all below |x| = 1, across it and above it
                    x[i] = random.nextInt(9) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)]
                            : random.nextGaussian() * SCALES[i / 8 % SCALES.length];
                }
                // a row of a matrix: the array starts `offset` elements into its buffer
                INDArray matrix = Nd4j.create(DataType.DOUBLE, 2, offset + len);
                INDArray z = matrix.getRow(1).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + len));
                assertThat(Flat.isContiguous(z)).isTrue();
                z.assign(Nd4j.createFromArray(x));
                double[][] want = scalar(x);
                for (int outputs = 1; outputs < 8; outputs++) {
                    INDArray v = (outputs & 1) != 0 ? Nd4j.create(DataType.DOUBLE, len) : null;
                    INDArray d1 = (outputs & 2) != 0 ? Nd4j.create(DataType.DOUBLE, len) : null;
                    INDArray d2 = (outputs & 4) != 0 ? Nd4j.create(DataType.DOUBLE, len) : null;
                    Activation.TANH.evaluate(z, v, d1, d2);
                    String at = "len " + len + ", offset " + offset + ", outputs " + outputs;
                    assertSameBits(at + ", value", v, want[0], x);
                    assertSameBits(at + ", sigma'", d1, want[1], x);
                    assertSameBits(at + ", sigma''", d2, want[2], x);
                    assertSameBits(at + ", input untouched", z, x, x);
                }
                Activation.TANH.evaluate(z, z, null, null); // in place
                assertSameBits("len " + len + ", offset " + offset + ", in place", z, want[0], x);
                assertThat(matrix.getRow(0).sumNumber().doubleValue()).as("the other row").isZero();
            }
        }
    }

    @Test
    void activationsWithoutNativeLoopsAreRefused() {
        ActivationLoops loops = Activation.loops();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocateDirect(64);
        for (Activation sigma : Activation.values()) {
            if (!loops.direct(sigma)) {
                assertThatThrownBy(() -> loops.evaluate(sigma, bytes, 0, bytes, null, null, 0, 8))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(sigma.name());
            }
        }
    }

    private static double[][] scalar(double[] x) {
        double[][] out = {new double[x.length], new double[x.length], new double[x.length]};
        Activation.TANH.evaluate(x, out[0], out[1], out[2]);
        return out;
    }

    private static void assertSameBits(String what, INDArray got, double[] want, double[] x) {
        if (got == null) {
            return;
        }
        double[] values = got.toDoubleVector();
        for (int i = 0; i < want.length; i++) {
            if (Double.doubleToLongBits(values[i]) != Double.doubleToLongBits(want[i])) {
                throw new AssertionError(what + " at " + i + " (x = " + x[i] + "): " + values[i] + ", want " + want[i]);
            }
        }
    }
}
