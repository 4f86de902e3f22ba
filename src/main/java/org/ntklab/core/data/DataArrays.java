package org.ntklab.core.data;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.rng.SeededRandom;

/**
 * Uploaded training data as plain float64 arrays: inputs X (n, d) and targets Y (n, c), row-major.
 * Immutable: the constructor checks and copies nothing (callers hand over {@code x} and {@code y}
 * and must not modify them); {@link #x()} and {@link #y()} return copies; every transformation
 * returns a new instance.
 *
 * @param n rows, &ge; 1
 * @param d columns of X, &ge; 1
 * @param c columns of Y, &ge; 1
 * @param x n &middot; d finite values, row-major
 * @param y n &middot; c finite values, row-major
 */
public record DataArrays(int n, int d, int c, double[] x, double[] y) {

    public DataArrays {
        if (n < 1 || d < 1 || c < 1) {
            throw new IllegalArgumentException("need n, d, c >= 1; got n=" + n + ", d=" + d + ", c=" + c);
        }
        if (x == null || y == null || x.length != (long) n * d || y.length != (long) n * c) {
            throw new IllegalArgumentException("x must hold n*d = " + (long) n * d + " and y n*c = " + (long) n * c
                    + " values");
        }
    }

    /** A copy of X, row-major. */
    @Override
    public double[] x() {
        return x.clone();
    }

    /** A copy of Y, row-major. */
    @Override
    public double[] y() {
        return y.clone();
    }

    /**
     * The first {@code m} examples of a seeded Fisher&ndash;Yates permutation of 0..n&minus;1: for
     * i = n&minus;1 down to 1, swap index i with {@code j = random.nextInt(i + 1)}, using
     * {@code new SeededRandom(seed)}; the chosen rows keep the permutation's order. The same
     * (data, m, seed) always give the same subset.
     *
     * @param m 1 &le; m &le; n
     */
    public DataArrays subset(int m, long seed) {
        if (m < 1 || m > n) {
            throw new IllegalArgumentException("subset size must be in [1, " + n + "], got " + m);
        }
        int[] order = permutation(n, seed);
        double[] sx = new double[m * d];
        double[] sy = new double[m * c];
        for (int i = 0; i < m; i++) {
            System.arraycopy(x, order[i] * d, sx, i * d, d);
            System.arraycopy(y, order[i] * c, sy, i * c, c);
        }
        return new DataArrays(m, d, c, sx, sy);
    }

    /** A seeded Fisher&ndash;Yates permutation of 0..n&minus;1 (see {@link #subset}). */
    static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SeededRandom random = new SeededRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * X with each column standardised: {@code x'_ij = (x_ij - mean_j) / std_j}, with the population
     * standard deviation {@code std_j = sqrt(sum_i (x_ij - mean_j)^2 / n)}; a column with
     * {@code std_j = 0} is only centred (all zeros). Y is unchanged.
     */
    public DataArrays standardized() {
        double[] sx = x.clone();
        Column[] stats = columns(x, n, d);
        for (int j = 0; j < d; j++) {
            double mean = stats[j].mean();
            double std = stats[j].std();
            for (int i = 0; i < n; i++) {
                double centred = sx[i * d + j] - mean;
                sx[i * d + j] = std == 0 ? centred : centred / std;
            }
        }
        return new DataArrays(n, d, c, sx, y);
    }

    /** Summary statistics of each column of X. */
    public Column[] xColumns() {
        return columns(x, n, d);
    }

    /** Summary statistics of each column of Y. */
    public Column[] yColumns() {
        return columns(y, n, c);
    }

    /** The engine's dataset: new (n, d) and (n, c) matrices of {@code dtype} holding these values. */
    public Dataset toDataset(DataType dtype) {
        Dataset.requireSupported(dtype);
        return new Dataset(Dataset.matrix(x, n, d, dtype), Dataset.matrix(y, n, c, dtype));
    }

    /**
     * One column's statistics: mean = Σ v / n, std = sqrt(Σ (v − mean)² / n) (population), min, max.
     */
    public record Column(double mean, double std, double min, double max) {
    }

    private static Column[] columns(double[] values, int rows, int cols) {
        Column[] out = new Column[cols];
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < rows; i++) {
                double v = values[i * cols + j];
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double mean = sum / rows;
            double squares = 0;
            for (int i = 0; i < rows; i++) {
                double dv = values[i * cols + j] - mean;
                squares += dv * dv;
            }
            out[j] = new Column(mean, Math.sqrt(squares / rows), min, max);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataArrays a && n == a.n && d == a.d && c == a.c && Arrays.equals(x, a.x)
                && Arrays.equals(y, a.y);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(x) + Arrays.hashCode(y)) + n;
    }

    @Override
    public String toString() {
        return "DataArrays[n=" + n + ", d=" + d + ", c=" + c + "]";
    }
}
