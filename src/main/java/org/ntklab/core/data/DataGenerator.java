package org.ntklab.core.data;

import org.ntklab.core.rng.SeededRandom;

/**
 * Deterministic synthetic datasets: the same {@link GeneratorParameters} give bit-identical
 * arrays on every machine. Every value is computed in double precision exactly as written below
 * (sums left to right over j = 0..d-1, Gaussians from {@link SeededRandom#nextGaussian()}, drawn
 * in the order stated) and then rounded to the requested data type, so the definitions can be
 * recomputed independently, e.g. in NumPy with a port of {@link SeededRandom}.
 *
 * <p>Random streams, all {@code SeededRandom.stream(seed, s)}: {@link #INPUT_STREAM},
 * {@link #DIRECTION_STREAM}, {@link #LABEL_NOISE_STREAM}, {@link #MEAN_STREAM},
 * {@link #CLUSTER_NOISE_STREAM}. A unit vector v in R^m is drawn as m Gaussians g_0..g_{m-1} in
 * order, v_j = g_j / ||g||; in the (probability-zero) event ||g|| = 0 the m Gaussians are drawn
 * again.
 */
public enum DataGenerator {

    /**
     * Points on the unit sphere with smooth targets in [0, 1] (before noise).
     *
     * <p>x_i (i = 0..n-1) is a unit vector in R^d drawn from {@link #INPUT_STREAM}, rows in order;
     * u_k (k = 0..c-1) is a unit vector in R^d drawn from {@link #DIRECTION_STREAM}, in order;
     * e_ik ~ N(0, 1) from {@link #LABEL_NOISE_STREAM} in row-major order, drawn only if noise &gt; 0;
     * <pre>y_ik = 0.5 + 0.5 sin(3 u_k . x_i) + noise * e_ik.</pre>
     */
    SPHERE {
        @Override
        Dataset draw(GeneratorParameters p) {
            int n = p.n();
            int d = p.inputDim();
            int c = p.outputDim();
            double[] x = unitRows(SeededRandom.stream(p.seed(), INPUT_STREAM), n, d);
            double[] u = unitRows(SeededRandom.stream(p.seed(), DIRECTION_STREAM), c, d);
            double[] y = new double[n * c];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < c; k++) {
                    double dot = 0.0;
                    for (int j = 0; j < d; j++) {
                        dot += u[k * d + j] * x[i * d + j];
                    }
                    y[i * c + k] = 0.5 + 0.5 * Math.sin(3.0 * dot);
                }
            }
            addLabelNoise(y, p);
            return dataset(x, y, p);
        }
    },

    /**
     * Equally spaced scalar inputs on [-1, 1] with phase-shifted sine targets; needs d = 1.
     *
     * <p>x_i = -1 + (2 i) / (n - 1), evaluated as {@code -1.0 + (2.0 * i) / (n - 1)} (so x_0 = -1
     * and x_{n-1} = 1 exactly), and x_0 = 0 when n = 1; e_ik as for SPHERE;
     * <pre>y_ik = sin(pi x_i + k) + noise * e_ik.</pre>
     * No randomness at all when noise = 0.
     */
    LINE {
        @Override
        Dataset draw(GeneratorParameters p) {
            if (p.inputDim() != 1) {
                throw new IllegalArgumentException("LINE needs inputDim = 1, got " + p.inputDim());
            }
            int n = p.n();
            int c = p.outputDim();
            double[] x = new double[n];
            double[] y = new double[n * c];
            for (int i = 0; i < n; i++) {
                x[i] = n == 1 ? 0.0 : -1.0 + (2.0 * i) / (n - 1);
                for (int k = 0; k < c; k++) {
                    y[i * c + k] = Math.sin(Math.PI * x[i] + k);
                }
            }
            addLabelNoise(y, p);
            return dataset(x, y, p);
        }
    },

    /**
     * c &ge; 2 Gaussian clusters with one-hot targets.
     *
     * <p>Class means mu_k = separation * v_k (k = 0..c-1), v_k unit vectors in R^d drawn in order
     * from {@link #MEAN_STREAM}; point i has label l_i = i mod c and
     * <pre>x_ij = mu_{l_i, j} + noise * e_ij,    y_ik = 1 if k = l_i else 0,</pre>
     * e_ij ~ N(0, 1) from {@link #CLUSTER_NOISE_STREAM} in row-major order, drawn only if
     * noise &gt; 0. Nothing is normalised. With d = 1 there are only two directions (+1 and -1),
     * so for c &gt; 2 classes share means.
     */
    GAUSSIAN_MIXTURE {
        @Override
        Dataset draw(GeneratorParameters p) {
            int c = p.outputDim();
            if (c < 2) {
                throw new IllegalArgumentException("GAUSSIAN_MIXTURE needs outputDim (classes) >= 2, got " + c);
            }
            int n = p.n();
            int d = p.inputDim();
            double[] mu = unitRows(SeededRandom.stream(p.seed(), MEAN_STREAM), c, d);
            for (int m = 0; m < mu.length; m++) {
                mu[m] = p.separation() * mu[m];
            }
            SeededRandom noise = p.noise() > 0 ? SeededRandom.stream(p.seed(), CLUSTER_NOISE_STREAM) : null;
            double[] x = new double[n * d];
            double[] y = new double[n * c];
            for (int i = 0; i < n; i++) {
                int label = i % c;
                for (int j = 0; j < d; j++) {
                    double mean = mu[label * d + j];
                    x[i * d + j] = noise == null ? mean : mean + p.noise() * noise.nextGaussian();
                }
                y[i * c + label] = 1.0;
            }
            return dataset(x, y, p);
        }

        @Override
        public GeneratorParameters defaults(int n, int inputDim, int outputDim, long seed) {
            return GeneratorParameters.defaults(n, inputDim, outputDim, seed).withNoise(1.0);
        }
    };

    /** Stream of the SPHERE inputs x_i. */
    public static final long INPUT_STREAM = 1_000_001L;
    /** Stream of the SPHERE target directions u_k. */
    public static final long DIRECTION_STREAM = 1_000_002L;
    /** Stream of the SPHERE and LINE label noise e_ik. */
    public static final long LABEL_NOISE_STREAM = 1_000_003L;
    /** Stream of the GAUSSIAN_MIXTURE mean directions v_k. */
    public static final long MEAN_STREAM = 1_000_004L;
    /** Stream of the GAUSSIAN_MIXTURE within-class noise e_ij. */
    public static final long CLUSTER_NOISE_STREAM = 1_000_005L;

    /**
     * Draws a dataset of shape x (n, d), y (n, c) in {@code p.dtype()}; new arrays owned by the
     * returned {@link Dataset}.
     *
     * @throws IllegalArgumentException if {@code p} does not suit this generator (LINE needs d = 1,
     *     GAUSSIAN_MIXTURE c &ge; 2)
     */
    public Dataset generate(GeneratorParameters p) {
        if (p == null) {
            throw new IllegalArgumentException("parameters must not be null");
        }
        return draw(p);
    }

    /**
     * This generator's usual parameters: those of {@link GeneratorParameters#defaults}, except
     * noise = 1 for GAUSSIAN_MIXTURE.
     */
    public GeneratorParameters defaults(int n, int inputDim, int outputDim, long seed) {
        return GeneratorParameters.defaults(n, inputDim, outputDim, seed);
    }

    abstract Dataset draw(GeneratorParameters p);

    /** {@code rows} unit vectors in R^{@code dim}, drawn in order, row-major. */
    private static double[] unitRows(SeededRandom random, int rows, int dim) {
        double[] out = new double[rows * dim];
        double[] g = new double[dim];
        for (int r = 0; r < rows; r++) {
            double norm;
            do {
                double sumSquares = 0.0;
                for (int j = 0; j < dim; j++) {
                    g[j] = random.nextGaussian();
                    sumSquares += g[j] * g[j];
                }
                norm = Math.sqrt(sumSquares);
            } while (norm == 0.0);
            for (int j = 0; j < dim; j++) {
                out[r * dim + j] = g[j] / norm;
            }
        }
        return out;
    }

    /** y_ik += noise * e_ik, e from {@link #LABEL_NOISE_STREAM} in row-major order; none if noise = 0. */
    private static void addLabelNoise(double[] y, GeneratorParameters p) {
        if (p.noise() > 0) {
            SeededRandom random = SeededRandom.stream(p.seed(), LABEL_NOISE_STREAM);
            for (int m = 0; m < y.length; m++) {
                y[m] = y[m] + p.noise() * random.nextGaussian();
            }
        }
    }

    private static Dataset dataset(double[] x, double[] y, GeneratorParameters p) {
        return new Dataset(Dataset.matrix(x, p.n(), x.length / p.n(), p.dtype()),
                Dataset.matrix(y, p.n(), p.outputDim(), p.dtype()));
    }
}
