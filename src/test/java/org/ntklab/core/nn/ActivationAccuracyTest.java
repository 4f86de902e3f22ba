package org.ntklab.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Simd;
import org.ntklab.core.array.SimdPaths;

/**
 * sigma, sigma' and sigma'' of every activation against 40-digit values (mpmath, rounded once to
 * double; activations.py beside the data writes them) on a dense grid of floats over [-50, 50],
 * the breakpoints of the piecewise formulas, the roots of the derivatives and the edge values
 * (+-0, subnormals, +-large, +-inf, NaN), in float64 and float32, on the vector path (when this
 * JVM has the Vector API: the surefire JVM does) and on the scalar path; and the two paths against
 * each other on a quarter million random inputs, bit for bit.
 */
class ActivationAccuracyTest {

    /**
     * Error bound in units in the last place of the exact value: the formulas chain an exp (1 ulp),
     * a division and a few multiplications (0.5 ulp each), and the reference is itself rounded (0.5).
     */
    private static final double MAX_ULPS = 4.0;
    private static final Activation[] ORDER = {Activation.IDENTITY, Activation.TANH, Activation.SIGMOID,
        Activation.SWISH, Activation.SOFTPLUS, Activation.GELU, Activation.ERF, Activation.RELU};

    private static double[] xs;
    /** reference[activation][output][point]. */
    private static double[][][] reference;
    /** Cancellation scales of swish', swish'' and gelu' per point (the largest term of the sum). */
    private static double[][] scales;

    @BeforeAll
    static void load() throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                ActivationAccuracyTest.class.getResourceAsStream("activations-reference.txt.gz")),
                StandardCharsets.US_ASCII))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.trim().split(" ");
                double[] row = new double[words.length];
                for (int i = 0; i < words.length; i++) {
                    row[i] = parse(words[i]);
                }
                rows.add(row);
            }
        }
        int n = rows.size();
        xs = new double[n];
        reference = new double[ORDER.length][3][n];
        scales = new double[3][n];
        for (int p = 0; p < n; p++) {
            double[] row = rows.get(p);
            xs[p] = row[0];
            for (int a = 0; a < ORDER.length; a++) {
                for (int k = 0; k < 3; k++) {
                    reference[a][k][p] = row[1 + 3 * a + k];
                }
            }
            for (int k = 0; k < 3; k++) {
                scales[k][p] = row[1 + 3 * ORDER.length + k];
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void vectorPathIsWithinFourUlpOfTheExactValues(Activation sigma) {
        assertThat(Simd.available()).as("the test JVM runs with --add-modules=jdk.incubator.vector")
                .isNotEqualTo(Simd.Path.SCALAR);
        assertAccurate(sigma, DataType.DOUBLE);
        assertAccurate(sigma, DataType.FLOAT);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void scalarPathIsWithinFourUlpOfTheExactValues(Activation sigma) {
        SimdPaths.scalar(() -> {
            assertThat(Simd.path()).isEqualTo(Simd.Path.SCALAR);
            assertAccurate(sigma, DataType.DOUBLE);
            assertAccurate(sigma, DataType.FLOAT);
            return null;
        });
    }

    @Test
    void vectorAndScalarPathsGiveTheSameBitsOnAQuarterMillionRandomInputs() {
        SplittableRandom random = new SplittableRandom(14);
        double[] x = new double[1 << 18];
        for (int i = 0; i < x.length; i++) { // normal-ish bulk, a heavy tail, and some huge exponents
            double g = random.nextGaussian() * (i % 7 == 0 ? 12.0 : 2.0);
            x[i] = i % 1021 == 0 ? Math.scalb(g, random.nextInt(-1074, 1000)) : g;
        }
        INDArray z = Nd4j.createFromArray(x);
        for (Activation sigma : Activation.values()) {
            INDArray[] vector = evaluate(sigma, z);
            INDArray[] scalar = SimdPaths.scalar(() -> evaluate(sigma, z));
            for (int k = 0; k < 3; k++) { // the same operations in the same order: the same bits
                double[] a = vector[k].toDoubleVector();
                double[] b = scalar[k].toDoubleVector();
                for (int i = 0; i < a.length; i++) {
                    if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
                        throw new AssertionError(sigma + " output " + k + " at x = " + x[i] + ": vector " + a[i]
                                + ", scalar " + b[i]);
                    }
                }
            }
        }
    }

    private static void assertAccurate(Activation sigma, DataType dtype) {
        int a = indexOf(sigma);
        boolean single = dtype == DataType.FLOAT;
        double[] points = single ? floatPoints() : xs;
        INDArray z = Nd4j.createFromArray(points).castTo(dtype);
        INDArray[] out = evaluate(sigma, z);
        for (int k = 0; k < 3; k++) {
            double[] got = out[k].castTo(DataType.DOUBLE).toDoubleVector();
            for (int i = 0, p = 0; p < xs.length; p++) {
                if (single && !isFloat(xs[p])) {
                    continue;
                }
                double want = reference[a][k][p];
                double scale = scaleAt(sigma, k, p);
                if (single) {
                    want = (float) want;
                    scale = (float) scale;
                }
                double error = ulps(got[i], want, scale, single);
                assertThat(error).as("%s %s output %d at x = %s: got %s, want %s (%s ulp)", dtype, sigma, k, xs[p],
                        got[i], want, error).isLessThanOrEqualTo(MAX_ULPS);
                i++;
            }
        }
    }

    private static INDArray[] evaluate(Activation sigma, INDArray z) {
        INDArray v = Nd4j.create(z.dataType(), z.shape());
        INDArray d1 = Nd4j.create(z.dataType(), z.shape());
        INDArray d2 = Nd4j.create(z.dataType(), z.shape());
        sigma.evaluate(z, v, d1, d2);
        return new INDArray[] {v, d1, d2};
    }

    /**
     * |got - want| in ulps of max(|want|, scale) (float ulps for float32); 0 when both are NaN or
     * equal (infinities included), infinite when only one is NaN or infinite.
     */
    private static double ulps(double got, double want, double scale, boolean single) {
        if (Double.isNaN(want) || Double.isNaN(got)) {
            return Double.isNaN(want) && Double.isNaN(got) ? 0.0 : Double.POSITIVE_INFINITY;
        }
        if (got == want) {
            return 0.0;
        }
        if (Double.isInfinite(got) || Double.isInfinite(want)) {
            return Double.POSITIVE_INFINITY;
        }
        double magnitude = Math.max(Math.abs(want), scale);
        double ulp = single ? Math.ulp((float) magnitude) : Math.ulp(magnitude);
        return Math.abs(got - want) / ulp;
    }

    /**
     * The magnitude errors are measured against: |sigma| itself, except for swish', swish'' and
     * gelu', sums whose terms cancel near the sum's root, where any double evaluation has an
     * error of a few ulp of the largest term (the condition number is unbounded at the root).
     */
    private static double scaleAt(Activation sigma, int k, int p) {
        if (sigma == Activation.SWISH && k >= 1) {
            return scales[k - 1][p];
        }
        if (sigma == Activation.GELU && k == 1) {
            return scales[2][p];
        }
        return 0.0;
    }

    private static double[] floatPoints() {
        return java.util.Arrays.stream(xs).filter(ActivationAccuracyTest::isFloat).toArray();
    }

    private static boolean isFloat(double x) {
        return Double.isNaN(x) || (double) (float) x == x;
    }

    private static int indexOf(Activation sigma) {
        for (int a = 0; a < ORDER.length; a++) {
            if (ORDER[a] == sigma) {
                return a;
            }
        }
        throw new AssertionError(sigma);
    }

    private static double parse(String word) {
        return switch (word) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(word);
        };
    }
}
