package org.ntklab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.data.npy.NpyArray;
import org.ntklab.core.rng.SeededRandom;

class DataGeneratorTest {

    private static final long SEED = 42L;
    /** Unit norms in double: d = 16 squares summed, a square root and a division, ~ (d + 2) ulp. */
    private static final double DOUBLE_NORM_TOLERANCE = 1e-14;
    /** Unit norms after rounding each component to float32: ~ sqrt(d) * 2^-24 with margin. */
    private static final double FLOAT_NORM_TOLERANCE = 1e-6;

    @Test
    void everyGeneratorGivesTheRequestedShapesAndType() {
        for (DataGenerator g : DataGenerator.values()) {
            int d = g == DataGenerator.LINE ? 1 : 5;
            for (DataType dtype : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                Dataset data = g.generate(g.defaults(17, d, 3, SEED).withDtype(dtype));
                assertArrayEquals(new long[] {17, d}, data.x().shape(), g + " x");
                assertArrayEquals(new long[] {17, 3}, data.y().shape(), g + " y");
                assertEquals(dtype, data.x().dataType(), g + " x");
                assertEquals(dtype, data.y().dataType(), g + " y");
            }
        }
    }

    @Test
    void sameParametersGiveBitIdenticalArraysAndOtherSeedsDiffer() {
        for (DataGenerator g : DataGenerator.values()) {
            int d = g == DataGenerator.LINE ? 1 : 4;
            GeneratorParameters p = g.defaults(20, d, 2, SEED).withNoise(0.3);
            Dataset a = g.generate(p);
            Dataset b = g.generate(p);
            assertEquals(NpyArray.of(a.x()), NpyArray.of(b.x()), g + " x");
            assertEquals(NpyArray.of(a.y()), NpyArray.of(b.y()), g + " y");
            Dataset other = g.generate(p.withSeed(SEED + 1));
            if (g != DataGenerator.GAUSSIAN_MIXTURE) { // its one-hot y depends only on i mod c
                assertFalse(Arrays.equals(flat(a.y()), flat(other.y())), g + " y should depend on the seed");
            }
            if (g != DataGenerator.LINE) { // its x is a fixed grid
                assertFalse(Arrays.equals(flat(a.x()), flat(other.x())), g + " x should depend on the seed");
            }
        }
    }

    @Test
    void floatDataIsTheDoubleDataRounded() {
        for (DataGenerator g : DataGenerator.values()) {
            int d = g == DataGenerator.LINE ? 1 : 3;
            GeneratorParameters p = g.defaults(9, d, 2, SEED).withNoise(0.1);
            Dataset dbl = g.generate(p);
            Dataset flt = g.generate(p.withDtype(DataType.FLOAT));
            assertArrayEquals(toFloat(flat(dbl.x())), flt.x().data().asFloat(), g + " x");
            assertArrayEquals(toFloat(flat(dbl.y())), flt.y().data().asFloat(), g + " y");
        }
    }

    @Test
    void sphereMatchesItsDefinitionRecomputedFromTheStreams() {
        int n = 6;
        int d = 3;
        int c = 2;
        double noise = 0.25;
        Dataset data = DataGenerator.SPHERE.generate(GeneratorParameters.defaults(n, d, c, SEED).withNoise(noise));
        SeededRandom xs = SeededRandom.stream(SEED, 1_000_001);
        SeededRandom us = SeededRandom.stream(SEED, 1_000_002);
        SeededRandom es = SeededRandom.stream(SEED, 1_000_003);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = unit(xs, d);
        }
        double[][] u = new double[c][];
        for (int k = 0; k < c; k++) {
            u[k] = unit(us, d);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                assertEquals(x[i][j], data.x().getDouble(i, j), 0.0, "x" + i + j);
            }
            for (int k = 0; k < c; k++) {
                double dot = u[k][0] * x[i][0] + u[k][1] * x[i][1] + u[k][2] * x[i][2];
                double expected = 0.5 + 0.5 * Math.sin(3 * dot) + noise * es.nextGaussian();
                assertEquals(expected, data.y().getDouble(i, k), 0.0, "y" + i + k);
            }
        }
    }

    @Test
    void sphereInputsHaveUnitNormAndNoiseFreeTargetsLieInTheUnitInterval() {
        GeneratorParameters p = GeneratorParameters.defaults(200, 16, 4, SEED);
        Dataset dbl = DataGenerator.SPHERE.generate(p);
        Dataset flt = DataGenerator.SPHERE.generate(p.withDtype(DataType.FLOAT));
        for (int i = 0; i < p.n(); i++) {
            assertEquals(1.0, dbl.x().getRow(i).norm2Number().doubleValue(), DOUBLE_NORM_TOLERANCE, "row " + i);
            assertEquals(1.0, flt.x().getRow(i).norm2Number().doubleValue(), FLOAT_NORM_TOLERANCE, "row " + i);
        }
        double[] y = flat(dbl.y());
        assertTrue(Arrays.stream(y).allMatch(v -> v >= 0 && v <= 1), "targets in [0, 1]");
        assertTrue(Arrays.stream(y).max().getAsDouble() - Arrays.stream(y).min().getAsDouble() > 0.5,
                "targets should vary");
    }

    @Test
    void lineIsEquallySpacedOnMinusOneToOne() {
        Dataset data = DataGenerator.LINE.generate(GeneratorParameters.defaults(5, 1, 2, SEED));
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, flat(data.x()));
        for (int i = 0; i < 5; i++) {
            double x = -1 + 0.5 * i;
            assertEquals(Math.sin(Math.PI * x), data.y().getDouble(i, 0), 0.0);
            assertEquals(Math.sin(Math.PI * x + 1), data.y().getDouble(i, 1), 0.0);
        }
        Dataset single = DataGenerator.LINE.generate(GeneratorParameters.defaults(1, 1, 1, SEED));
        assertArrayEquals(new double[] {0}, flat(single.x()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataGenerator.LINE.generate(GeneratorParameters.defaults(5, 2, 1, SEED)));
        assertTrue(e.getMessage().contains("LINE needs inputDim = 1, got 2"), e.getMessage());
    }

    @Test
    void mixtureLabelsCycleAndTargetsAreOneHot() {
        int c = 3;
        Dataset data = DataGenerator.GAUSSIAN_MIXTURE.generate(DataGenerator.GAUSSIAN_MIXTURE.defaults(10, 4, c, SEED));
        for (int i = 0; i < 10; i++) {
            for (int k = 0; k < c; k++) {
                assertEquals(k == i % c ? 1.0 : 0.0, data.y().getDouble(i, k), 0.0, "y" + i + k);
            }
        }
    }

    @Test
    void mixtureWithoutNoiseSitsOnMeansOfNormSeparation() {
        GeneratorParameters p = GeneratorParameters.defaults(6, 5, 3, SEED).withSeparation(2.5);
        Dataset data = DataGenerator.GAUSSIAN_MIXTURE.generate(p);
        SeededRandom vs = SeededRandom.stream(SEED, 1_000_004);
        double[][] mu = new double[3][];
        for (int k = 0; k < 3; k++) {
            mu[k] = unit(vs, 5);
        }
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(2.5 * mu[i % 3][j], data.x().getDouble(i, j), 0.0, "x" + i + j);
            }
            assertEquals(2.5, data.x().getRow(i).norm2Number().doubleValue(), 2.5 * DOUBLE_NORM_TOLERANCE);
        }
    }

    @Test
    void mixtureNoiseIsAddedToTheMeansFromItsOwnStream() {
        GeneratorParameters p = DataGenerator.GAUSSIAN_MIXTURE.defaults(4, 2, 2, SEED);
        assertEquals(1.0, p.noise());
        Dataset clean = DataGenerator.GAUSSIAN_MIXTURE.generate(p.withNoise(0));
        Dataset noisy = DataGenerator.GAUSSIAN_MIXTURE.generate(p.withNoise(0.5));
        SeededRandom es = SeededRandom.stream(SEED, 1_000_005);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                double expected = clean.x().getDouble(i, j) + 0.5 * es.nextGaussian();
                assertEquals(expected, noisy.x().getDouble(i, j), 0.0, "x" + i + j);
            }
        }
    }

    @Test
    void mixtureNeedsTwoClasses() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataGenerator.GAUSSIAN_MIXTURE.generate(GeneratorParameters.defaults(5, 2, 1, SEED)));
        assertTrue(e.getMessage().contains("outputDim (classes) >= 2, got 1"), e.getMessage());
    }

    @Test
    void parametersAreValidatedWithClearMessages() {
        assertMessage(() -> GeneratorParameters.defaults(0, 1, 1, SEED), "n must be >= 1, got 0");
        assertMessage(() -> GeneratorParameters.defaults(1, 0, 1, SEED), "inputDim must be >= 1, got 0");
        assertMessage(() -> GeneratorParameters.defaults(1, 1, -1, SEED), "outputDim must be >= 1, got -1");
        assertMessage(() -> GeneratorParameters.defaults(100_000, 100_000, 1, SEED), "exceed one Java array");
        GeneratorParameters p = GeneratorParameters.defaults(1, 1, 1, SEED);
        assertMessage(() -> p.withDtype(DataType.INT), "DOUBLE or FLOAT, got INT");
        assertMessage(() -> p.withDtype(DataType.HALF), "DOUBLE or FLOAT, got HALF");
        assertMessage(() -> p.withDtype(null), "DOUBLE or FLOAT, got null");
        assertMessage(() -> p.withNoise(-0.1), "noise must be finite and >= 0, got -0.1");
        assertMessage(() -> p.withNoise(Double.NaN), "noise must be finite and >= 0, got NaN");
        assertMessage(() -> p.withNoise(Double.POSITIVE_INFINITY), "noise must be finite");
        assertMessage(() -> p.withSeparation(Double.NaN), "separation must be finite and >= 0, got NaN");
        assertMessage(() -> DataGenerator.SPHERE.generate(null), "must not be null");
        assertEquals(3.0, p.separation());
        assertEquals(0.0, p.noise());
        assertEquals(DataType.DOUBLE, p.dtype());
    }

    private static void assertMessage(Runnable action, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    /** The Javadoc's unit vector: m Gaussians in order, divided by their norm. */
    private static double[] unit(SeededRandom random, int m) {
        double[] g = new double[m];
        double sumSquares = 0;
        for (int j = 0; j < m; j++) {
            g[j] = random.nextGaussian();
            sumSquares += g[j] * g[j];
        }
        double norm = Math.sqrt(sumSquares);
        for (int j = 0; j < m; j++) {
            g[j] /= norm;
        }
        return g;
    }

    private static double[] flat(INDArray a) {
        return NpyArray.of(a).toDoubleArray();
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
