package org.ntklab.core.nn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntklab.core.array.Simd;

/**
 * sigma and sigma' of a range of one heap array into ranges of two others (the loops of the fused
 * training step, which keep their values in larger buffers): the scalar formulas' bits for every
 * activation, offset and length (whole vectors and a scalar tail), with lanes that need the scalar
 * code (|x| past 350, infinities, NaN) anywhere in a vector, and nothing written outside the ranges.
 */
class ActivationRangesTest {

    private static final double[] SCALES = {0.3, 3.0, 30.0};
    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        349.99, 350.0, -350.0, 351.0, 800.0, -1e300, Double.MIN_VALUE, -Double.MIN_NORMAL, 1e-300, 19.1, -22.0, 40.0};
    private static final double SENTINEL = -123.25;

    @Test
    void vectorRangesGiveTheScalarFormulasBitsAndWriteNothingElse() {
        assumeTrue(Simd.vector(), "the Vector API is not present");
        check(Activation.loops());
    }

    @Test
    void scalarRangesGiveTheScalarFormulasBitsAndWriteNothingElse() {
        check(new ScalarActivationLoops());
    }

    private static void check(ActivationLoops loops) {
        ScalarActivationLoops scalar = new ScalarActivationLoops();
        SplittableRandom random = new SplittableRandom(5);
        for (Activation sigma : Activation.values()) {
            for (int len : new int[] {1, 7, 8, 9, 17, 64, 100, 512, 4097}) {
                for (int[] offsets : new int[][] {{0, 0}, {3, 11}, {13, 5}}) {
                    int xAt = offsets[0];
                    int at = offsets[1];
                    double[] x = new double[xAt + len + 9];
                    for (int i = 0; i < x.length; i++) {
                        // blocks of 8 at scales 0.3, 3 and 30: tanh's vectors all below |x| = 1, across it and above it
                        x[i] = random.nextInt(9) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)]
                                : random.nextGaussian() * SCALES[i / 8 % SCALES.length];
                    }
                    double[] inRange = java.util.Arrays.copyOfRange(x, xAt, xAt + len);
                    double[] wantV = new double[len];
                    double[] wantD1 = new double[len];
                    scalar.evaluate(sigma, inRange, wantV, wantD1, null, len);
                    double[] v = new double[at + len + 11];
                    double[] d1 = new double[at + len + 11];
                    java.util.Arrays.fill(v, SENTINEL);
                    java.util.Arrays.fill(d1, SENTINEL);
                    double[] before = x.clone();
                    loops.evaluate(sigma, x, xAt, v, d1, at, len);
                    String where = sigma + ", len " + len + ", x at " + xAt + ", outputs at " + at;
                    for (int i = 0; i < v.length; i++) {
                        boolean inside = i >= at && i < at + len;
                        double want = inside ? wantV[i - at] : SENTINEL;
                        double wantSlope = inside ? wantD1[i - at] : SENTINEL;
                        sameBits(where + ", sigma at " + i, v[i], want);
                        sameBits(where + ", sigma' at " + i, d1[i], wantSlope);
                    }
                    for (int i = 0; i < x.length; i++) {
                        sameBits(where + ", input at " + i, x[i], before[i]);
                    }
                }
            }
        }
    }

    private static void sameBits(String what, double got, double want) {
        if (Double.doubleToLongBits(got) != Double.doubleToLongBits(want)) {
            throw new AssertionError(what + ": " + got + ", want " + want);
        }
    }
}
