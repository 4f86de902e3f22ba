package org.ntklab.core.spectral;

import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ntklab.core.array.Blas;
import org.ntklab.core.rng.SeededRandom;

/**
 * The extreme eigenvalues {@code lambda_max}, {@code lambda_min} and the spectral norm
 * {@code ||A|| = max(|lambda_max|, |lambda_min|)} of a symmetric, possibly indefinite
 * {@link LinearOperator}, by the Lanczos algorithm. A Hessian's eigenvalues come in near
 * {@code +/-} pairs, where power iteration stalls; Lanczos resolves both ends of the spectrum
 * from one Krylov space.
 *
 * <h2>Recurrence</h2>
 * With {@code q_0 = v / ||v||} ({@code v} a seeded Gaussian vector, or the caller's start),
 * {@code beta_{-1} = 0}, and for {@code j = 0, 1, ...}:
 * <pre>
 *   w       = A q_j - beta_{j-1} q_{j-1}
 *   alpha_j = q_j^T w
 *   w       = w - alpha_j q_j
 *   (FULL)  w = w - Q_j (Q_j^T w), done twice            Q_j = [q_0 .. q_j], stored as rows
 *   beta_j  = ||w||,   q_{j+1} = w / beta_j
 * </pre>
 * so that {@code A Q_k = Q_k T_k + beta_{k-1} q_k e_k^T} with {@code T_k = tridiag(beta, alpha, beta)}
 * ({@code k x k}). The scalars {@code alpha}, {@code beta} and {@code T_k} are kept in double
 * whatever the operator's {@link DataType}; vectors use the operator's type.
 *
 * <h2>Ritz values and convergence</h2>
 * After every step the eigenpairs {@code T_k s = theta s} of the tridiagonal (dense, by
 * {@link SymmetricEigen}, {@code O(k^3)}) give the Ritz values {@code theta_min <= ... <= theta_max};
 * the Ritz vector {@code y = Q_k s} has residual {@code ||A y - theta y|| = beta_{k-1} |s_{k-1}|}.
 * The run has converged when both extreme pairs satisfy
 * {@code beta_{k-1} |s_{k-1}| <= tolerance * max(max(|theta_max|, |theta_min|), tiny)}. An
 * isolated extreme eigenvalue with gap {@code g} is then accurate to about
 * {@code residual^2 / g}. As with any Krylov method, a start vector (almost) orthogonal to an
 * extreme eigenvector hides that eigenvalue; a random start does so with probability zero.
 *
 * <h2>Breakdown (invariant subspace)</h2>
 * If {@code beta_{k-1} <= BREAKDOWN_ULPS * eps(dtype) * ||T_k||_Gershgorin}, the Krylov space is
 * invariant: the Ritz values are exact eigenvalues (for a random start, all distinct eigenvalues
 * of {@code A}), and the run stops with {@code converged = true}. The zero operator stops after one
 * step with {@code norm = lambdaMax = lambdaMin = 0}; a rank-one operator after two.
 *
 * <h2>Reorthogonalisation and memory</h2>
 * With {@code k = min(maxIterations, p)}, FULL reorthogonalisation stores the basis as a
 * {@code (k, p)} matrix plus one work vector, {@link #basisBytes}{@code = (k + 1) * p * width(dtype)}
 * bytes, and projects with two gemm calls per pass ({@code h = w Q_j^T}, {@code w -= h Q_j}). When
 * that exceeds {@code maxBasisBytes} the run falls back to {@link Reorthogonalization#LOCAL}: the
 * three-term recurrence alone with three vectors in memory. Orthogonality is then lost as Ritz
 * values converge, but the extreme Ritz values still converge to the extreme eigenvalues and the
 * lost orthogonality only produces spurious copies of converged values (Paige, 1976), so the
 * extremes and their bounds remain valid.
 *
 * <h2>Reported residual</h2>
 * LOCAL reports the bound {@code max(beta_{k-1}|s_{k-1}|)} over the two extreme pairs. FULL, having
 * the basis, forms both extreme Ritz vectors {@code y = Q_k s} once at the end and reports the
 * measured {@code max ||A y - theta y||} (two extra operator applications, not counted in
 * {@code iterations}); it equals the bound up to rounding of order {@code eps(dtype) ||A||}. The
 * bound, computed from {@code T_k} in double, can fall below that rounding floor (notably in float),
 * so the measured value is the honest one; it may then exceed {@code tolerance * norm} slightly
 * although {@code converged} is true.
 *
 * <p>The operator's arguments are never retained; a caller's start vector is copied, not modified.
 */
public final class Lanczos {

    /**
     * A {@code beta} within this many machine epsilons of {@code ||T_k||} is rounding noise, not a
     * new direction: forming {@code A q} and subtracting {@code O(k)} projections each contribute
     * about {@code eps ||A||}, and 64 leaves headroom for sums over {@code p} terms. Missing a
     * breakdown is harmless (the convergence test then stops the run), so the margin is modest.
     */
    static final double BREAKDOWN_ULPS = 64.0;

    /** Repeat a Gram-Schmidt pass when it leaves less than this fraction of the norm (Daniel, Gragg, Kaufman, Stewart 1976). */
    static final double DGKS = 1.0 / Math.sqrt(2.0);

    /** The scale floor in the convergence test, so the zero operator converges at residual 0. */
    static final double TINY = Double.MIN_NORMAL;

    /** Stream number of the start vector within {@link LanczosOptions#seed()}. */
    private static final long START_STREAM = 0x4C414E43L; // "LANC"

    private Lanczos() {
    }

    /**
     * Bytes FULL reorthogonalisation needs for an operator of dimension {@code dimension}:
     * {@code (min(maxIterations, dimension) + 1) * dimension * dtype.width()}, saturating at
     * {@link Long#MAX_VALUE}.
     */
    public static long basisBytes(long dimension, int maxIterations, DataType dtype) {
        if (dimension < 1 || maxIterations < 1) {
            throw new IllegalArgumentException("dimension and maxIterations must be >= 1, got "
                    + dimension + " and " + maxIterations);
        }
        long rows = Math.min(maxIterations, dimension) + 1;
        try {
            return Math.multiplyExact(Math.multiplyExact(rows, dimension), (long) dtype.width());
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The reorthogonalisation a run with these settings will use: the options' choice (FULL by
     * default, or PARTIAL) when the basis fits in {@code maxBasisBytes}, LOCAL otherwise.
     */
    public static Reorthogonalization reorthogonalization(long dimension, DataType dtype, LanczosOptions options) {
        return options.reorthogonalization() != Reorthogonalization.LOCAL
                && basisBytes(dimension, options.maxIterations(), dtype) <= options.maxBasisBytes()
                ? options.reorthogonalization()
                : Reorthogonalization.LOCAL;
    }

    /** Estimates the spectrum of {@code a} from a seeded Gaussian start vector. */
    public static SpectrumEstimate estimate(LinearOperator a, LanczosOptions options) {
        return estimate(a, options, (Workspace) null);
    }

    /**
     * As {@link #estimate(LinearOperator, LanczosOptions)}, with the basis and work vectors taken
     * from {@code workspace} (null: allocated and freed by this call) for runs that follow one another.
     */
    public static SpectrumEstimate estimate(LinearOperator a, LanczosOptions options, Workspace workspace) {
        int p = dimensionOf(a);
        SeededRandom random = SeededRandom.stream(options.seed(), START_STREAM);
        double[] v = new double[p];
        random.fillGaussian(v, 1.0);
        INDArray start = Nd4j.create(v);
        try {
            return run(a, options, start, workspace);
        } finally {
            free(start);
        }
    }

    /**
     * The large arrays of Lanczos runs made one after another (the probes of one experiment),
     * kept between runs: ND4J writes every page of a new buffer, which for a (k, p) basis of
     * 30 x 2e6 doubles took 0.2 s, a third of a run. Holds at most one basis and three p-vectors
     * (the Krylov bytes of {@code MemoryEstimate}); not for concurrent runs. Closing frees them.
     */
    public static final class Workspace implements AutoCloseable {
        private INDArray basis;
        private final INDArray[] vectors = new INDArray[3];

        /** The first {@code rows} rows of a kept (at least rows, p) basis of this type, contents arbitrary. */
        INDArray basis(DataType dtype, int rows, int p) {
            if (basis == null || basis.dataType() != dtype || basis.rows() < rows || basis.columns() != p) {
                free(basis);
                basis = Nd4j.createUninitialized(dtype, rows, p);
            }
            return basis.rows() == rows ? basis : basis.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
        }

        /** Kept vector {@code slot} (0..2) of length p and this type, contents arbitrary. */
        INDArray vector(int slot, DataType dtype, int p) {
            INDArray v = vectors[slot];
            if (v == null || v.dataType() != dtype || v.length() != p) {
                free(v);
                v = Nd4j.createUninitialized(dtype, p);
                vectors[slot] = v;
            }
            return v;
        }

        @Override
        public void close() {
            free(basis);
            basis = null;
            for (int i = 0; i < vectors.length; i++) {
                free(vectors[i]);
                vectors[i] = null;
            }
        }
    }

    /**
     * Estimates the spectrum of {@code a} from the caller's start vector {@code start} (1-D, length
     * {@code p}, non-zero, any floating type); {@code start} is copied, not modified.
     */
    public static SpectrumEstimate estimate(LinearOperator a, LanczosOptions options, INDArray start) {
        int p = dimensionOf(a);
        if (start.rank() != 1 || start.length() != p) {
            throw new IllegalArgumentException("start must be a 1-D vector of length " + p);
        }
        return run(a, options, start, null);
    }

    private static SpectrumEstimate run(LinearOperator a, LanczosOptions options, INDArray start, Workspace workspace) {
        int p = dimensionOf(a);
        DataType dtype = a.dataType();
        Level1 blas = Nd4j.getBlasWrapper().level1();
        int k = Math.min(options.maxIterations(), p);
        Reorthogonalization mode = reorthogonalization(p, dtype, options);

        // Every row is written before it is read: no zero fill (at k p = 6e7 doubles it cost more
        // than the reorthogonalisation), and the (k, p) basis is freed on return, not at a collection.
        boolean pooled = workspace != null;
        INDArray basis = mode == Reorthogonalization.LOCAL ? null
                : pooled ? workspace.basis(dtype, k, p) : Nd4j.createUninitialized(dtype, k, p);
        INDArray q = basis != null ? basis.getRow(0) : Nd4j.createUninitialized(dtype, p);
        q.assign(start.castTo(dtype));
        double startNorm = blas.nrm2(q);
        if (!(startNorm > 0.0) || !Double.isFinite(startNorm)) {
            throw new IllegalArgumentException("start vector must be non-zero and finite, norm = " + startNorm);
        }
        blas.scal(p, 1.0 / startNorm, q);

        INDArray w = pooled ? workspace.vector(0, dtype, p) : Nd4j.createUninitialized(dtype, p);
        INDArray spare = basis == null ? Nd4j.createUninitialized(dtype, p) : null;
        INDArray[] owned = pooled ? new INDArray[] {basis == null ? q : null, spare}
                : new INDArray[] {basis != null ? basis : q, w, spare};
        try {
            return iterate(a, options, basis, q, w, spare, k, mode, workspace);
        } finally {
            for (INDArray array : owned) {
                free(array);
            }
        }
    }

    /** The Lanczos loop of {@link #run} on its arrays (q: the normalised start, basis row 0 when there is a basis). */
    private static SpectrumEstimate iterate(LinearOperator a, LanczosOptions options, INDArray basis, INDArray q,
            INDArray w, INDArray spare, int k, Reorthogonalization mode, Workspace workspace) {
        int p = dimensionOf(a);
        DataType dtype = a.dataType();
        Level1 blas = Nd4j.getBlasWrapper().level1();
        INDArray qPrev = null;
        double[] alpha = new double[k];
        double[] beta = new double[k];
        double gershgorin = 0.0;
        double breakdownRelative = BREAKDOWN_ULPS * machineEpsilon(dtype);
        Omega omega = mode == Reorthogonalization.PARTIAL ? new Omega(k, p, machineEpsilon(dtype)) : null;

        for (int j = 0; ; j++) {
            a.apply(q, w);
            if (qPrev != null) {
                blas.axpy(p, -beta[j - 1], qPrev, w);
            }
            alpha[j] = blas.dot(p, 1.0, q, w);
            blas.axpy(p, -alpha[j], q, w);
            double norm = blas.nrm2(w);
            if (basis != null) {
                double before = norm;
                if (omega == null || omega.needsReorthogonalization(alpha, beta, j, before)) {
                    // Classical Gram-Schmidt, repeated only when the first pass cancelled much of w
                    // (the DGKS criterion, ||w'|| < ||w|| / sqrt 2): "twice is enough", once is usually.
                    reorthogonalize(basis, j + 1, w, dtype);
                    norm = blas.nrm2(w);
                    if (norm < DGKS * before) {
                        reorthogonalize(basis, j + 1, w, dtype);
                        norm = blas.nrm2(w);
                    }
                    if (omega != null) {
                        omega.reorthogonalized(j);
                    }
                }
            }
            beta[j] = norm; // w's norm, not measured again when w was not reorthogonalised
            if (omega != null) {
                omega.advance(j);
            }
            gershgorin = Math.max(gershgorin, Math.abs(alpha[j]) + beta[j] + (j > 0 ? beta[j - 1] : 0.0));

            RitzExtremes ritz = RitzExtremes.of(alpha, beta, j + 1);
            boolean breakdown = beta[j] <= breakdownRelative * gershgorin;
            boolean converged = breakdown
                    || ritz.maxBound() <= options.tolerance() * Math.max(ritz.norm(), TINY);
            if (converged || j + 1 == k) {
                double residual = basis != null
                        ? measuredResidual(a, basis, j + 1, ritz, dtype, workspace)
                        : ritz.maxBound();
                return new SpectrumEstimate(ritz.norm(), ritz.thetaMax(), ritz.thetaMin(), residual,
                        j + 1, converged, mode);
            }

            blas.scal(p, 1.0 / beta[j], w);
            if (basis != null) {
                INDArray next = basis.getRow(j + 1);
                next.assign(w);
                qPrev = q;
                q = next;
            } else {
                INDArray recycled = qPrev != null ? qPrev : spare;
                qPrev = q;
                q = w;
                w = recycled;
            }
        }
    }

    /**
     * The Lanczos tridiagonal T_k of {@code a} from {@code start} (1-D, length p, non-zero; copied,
     * not modified), for quadrature rather than extremes: {@code steps} iterations of the recurrence
     * above with FULL reorthogonalisation whatever the memory ({@code (steps + 1) p} values), stopping
     * early at a breakdown (an invariant Krylov space; then {@code k < steps} and T_k's eigenvalues
     * are exact eigenvalues of A). Memory is the caller's to bound ({@link #basisBytes}).
     *
     * @return alpha_0..alpha_{k-1} (diagonal) and beta_0..beta_{k-2} (off-diagonal), k &lt;= min(steps, p)
     */
    public static Tridiagonal tridiagonal(LinearOperator a, INDArray start, int steps) {
        int p = dimensionOf(a);
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (start.rank() != 1 || start.length() != p) {
            throw new IllegalArgumentException("start must be a 1-D vector of length " + p);
        }
        DataType dtype = a.dataType();
        Level1 blas = Nd4j.getBlasWrapper().level1();
        int k = Math.min(steps, p);
        INDArray basis = Nd4j.create(dtype, k, p);
        INDArray q = basis.getRow(0);
        q.assign(start.castTo(dtype));
        double startNorm = blas.nrm2(q);
        if (!(startNorm > 0.0) || !Double.isFinite(startNorm)) {
            throw new IllegalArgumentException("start vector must be non-zero and finite, norm = " + startNorm);
        }
        blas.scal(p, 1.0 / startNorm, q);
        INDArray w = Nd4j.create(dtype, p);
        double[] alpha = new double[k];
        double[] beta = new double[k];
        double gershgorin = 0.0;
        double breakdownRelative = BREAKDOWN_ULPS * machineEpsilon(dtype);
        for (int j = 0; ; j++) {
            a.apply(q, w);
            if (j > 0) {
                blas.axpy(p, -beta[j - 1], basis.getRow(j - 1), w);
            }
            alpha[j] = blas.dot(p, 1.0, q, w);
            blas.axpy(p, -alpha[j], q, w);
            reorthogonalize(basis, j + 1, w, dtype);
            reorthogonalize(basis, j + 1, w, dtype);
            beta[j] = blas.nrm2(w);
            gershgorin = Math.max(gershgorin, Math.abs(alpha[j]) + beta[j] + (j > 0 ? beta[j - 1] : 0.0));
            if (j + 1 == k || beta[j] <= breakdownRelative * gershgorin) {
                return new Tridiagonal(java.util.Arrays.copyOf(alpha, j + 1), java.util.Arrays.copyOf(beta, j));
            }
            blas.scal(p, 1.0 / beta[j], w);
            q = basis.getRow(j + 1);
            q.assign(w);
        }
    }

    /**
     * A symmetric tridiagonal matrix: diagonal {@code alpha} (length k), off-diagonal {@code beta}
     * (length k - 1).
     */
    public record Tridiagonal(double[] alpha, double[] beta) {
        /** k. */
        public int size() {
            return alpha.length;
        }

        /** The eigen-decomposition of the dense k x k matrix. */
        public SymmetricEigen decompose() {
            int k = alpha.length;
            double[][] t = new double[k][k];
            for (int i = 0; i < k; i++) {
                t[i][i] = alpha[i];
                if (i + 1 < k) {
                    t[i][i + 1] = beta[i];
                    t[i + 1][i] = beta[i];
                }
            }
            return SymmetricEigen.decompose(t);
        }
    }

    /**
     * Simon's estimates {@code omega_{i,k} ~ q_i^T q_k} of the basis's loss of orthogonality
     * (H. D. Simon, "The Lanczos algorithm with partial reorthogonalization", Math. Comp. 42, 1984).
     * From {@code beta_j q_{j+1} = A q_j - alpha_j q_j - beta_{j-1} q_{j-1}} and the symmetry of A,
     * for {@code k < j}:
     * <pre>
     *   beta_j omega_{j+1,k} = beta_k omega_{j,k+1} + (alpha_k - alpha_j) omega_{j,k}
     *                          + beta_{k-1} omega_{j,k-1} - beta_{j-1} omega_{j-1,k}  (+- rounding)
     * </pre>
     * with {@code omega_{i,i} = 1} and {@code omega_{j+1,j} = psi}, the rounding of the local
     * orthogonalisation. Rounding enters each step as {@code eps1 (|alpha_k| + beta_k + |alpha_j| + beta_j)}
     * with {@code eps1 = eps sqrt(p) / 2}, added in the direction that increases |omega| (a
     * pessimistic model: a reorthogonalisation too many costs time, one too few accuracy). When some
     * estimate exceeds {@code sqrt(eps)}, the new vector and the next one are orthogonalised against
     * the whole basis and their estimates reset to {@code eps1}.
     */
    private static final class Omega {
        private final double eps1;
        private final double threshold;
        private double[] previous;   // omega_{j-1, k}, k <= j - 1
        private double[] current;    // omega_{j, k},   k <= j
        private double[] next;       // omega_{j+1, k}, k <= j + 1
        private boolean forceNext;

        Omega(int k, int p, double eps) {
            this.eps1 = eps * Math.sqrt(p) / 2.0;
            this.threshold = Math.sqrt(eps);
            previous = new double[k + 1];
            current = new double[k + 1];
            next = new double[k + 1];
            current[0] = 1.0;
        }

        /**
         * Estimates omega_{j+1,k} for w = beta_j q_{j+1} before normalisation ({@code betaJ = ||w||})
         * and says whether w must be orthogonalised against the basis.
         */
        boolean needsReorthogonalization(double[] alpha, double[] beta, int j, double betaJ) {
            if (forceNext) {
                return true;
            }
            if (!(betaJ > 0.0)) {
                return false; // breakdown: nothing to orthogonalise
            }
            double worst = 0.0;
            for (int k = 0; k < j; k++) {
                double t = beta[k] * current[k + 1] + (alpha[k] - alpha[j]) * current[k]
                        - (j > 0 ? beta[j - 1] * previous[k] : 0.0);
                if (k > 0) {
                    t += beta[k - 1] * current[k - 1];
                }
                double rounding = eps1 * (Math.abs(alpha[k]) + beta[k] + Math.abs(alpha[j]) + betaJ);
                next[k] = (t + Math.copySign(rounding, t)) / betaJ;
                worst = Math.max(worst, Math.abs(next[k]));
            }
            next[j] = eps1;
            return worst > threshold;
        }

        /** The new vector was orthogonalised against the whole basis: its estimates are at rounding level. */
        void reorthogonalized(int j) {
            java.util.Arrays.fill(next, 0, j + 1, eps1);
            forceNext = !forceNext; // the next vector too, once
        }

        /** Moves to the next step: omega_{j+1,j+1} = 1. */
        void advance(int j) {
            next[j + 1] = 1.0;
            double[] recycled = previous;
            previous = current;
            current = next;
            next = recycled;
        }
    }

    /**
     * One classical Gram–Schmidt pass against the first {@code rows} basis vectors:
     * {@code h = w Q^T} (shape {@code (1, rows)}), then {@code w := w - h Q}. Modifies {@code w}
     * in place; {@code basis} is read only.
     */
    private static void reorthogonalize(INDArray basis, int rows, INDArray w, DataType dtype) {
        INDArray stored = basis.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
        INDArray h = Nd4j.create(dtype, rows);
        // Matrix-vector products, not 1-row gemm: BLAS would pack the whole (rows, p) basis on every call.
        Blas.gemv(false, 1.0, stored, w, 0.0, h);
        Blas.gemv(true, -1.0, stored, h, 1.0, w);
    }

    /** {@code max ||A y - theta y||} over the two extreme Ritz pairs, {@code y = Q_k s} (rows of {@code basis}). */
    private static double measuredResidual(LinearOperator a, INDArray basis, int rows, RitzExtremes ritz,
            DataType dtype, Workspace workspace) {
        double rMax = ritzResidual(a, basis, rows, ritz.sMax(), ritz.thetaMax(), dtype, workspace);
        double rMin = rows == 1 ? rMax : ritzResidual(a, basis, rows, ritz.sMin(), ritz.thetaMin(), dtype, workspace);
        return Math.max(rMax, rMin);
    }

    private static double ritzResidual(LinearOperator a, INDArray basis, int rows, double[] s, double theta,
            DataType dtype, Workspace workspace) {
        long p = basis.columns();
        INDArray stored = basis.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
        INDArray coefficients = Nd4j.create(s, new long[] {rows}, DataType.DOUBLE).castTo(dtype);
        int length = Math.toIntExact(p);
        INDArray y = workspace != null ? workspace.vector(1, dtype, length) : Nd4j.createUninitialized(dtype, p);
        INDArray ay = workspace != null ? workspace.vector(2, dtype, length) : Nd4j.createUninitialized(dtype, p);
        try {
            Blas.gemv(true, 1.0, stored, coefficients, 0.0, y); // y = Q_k^T s: a matrix-vector product, no packing
            a.apply(y, ay);
            Level1 blas = Nd4j.getBlasWrapper().level1();
            blas.axpy(p, -theta, y, ay);
            return blas.nrm2(ay);
        } finally {
            if (workspace == null) {
                free(y);
                free(ay);
            }
        }
    }

    /** Frees an array this class created (null allowed), now rather than at a garbage collection. */
    private static void free(INDArray array) {
        if (array != null && !array.wasClosed() && array.closeable()) {
            array.close();
        }
    }

    private static int dimensionOf(LinearOperator a) {
        DataType dtype = a.dataType();
        if (dtype != DataType.DOUBLE && dtype != DataType.FLOAT) {
            throw new IllegalArgumentException("Lanczos needs a DOUBLE or FLOAT operator, got " + dtype);
        }
        long p = a.dimension();
        if (p < 1 || p > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("operator dimension must be in [1, 2^31), got " + p);
        }
        return (int) p;
    }

    private static double machineEpsilon(DataType dtype) {
        return dtype == DataType.FLOAT ? Math.ulp(1.0f) : Math.ulp(1.0);
    }
}
