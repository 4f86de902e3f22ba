package org.ntklab.core.spectral;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.rng.SeededRandom;

/**
 * Hutchinson's trace estimator (SCIENCE.md, "Hessian structure"): T = (1/R) sum_r v_r^T A v_r
 * with v_r of independent Rademacher (+/-1) entries, so E[v^T A v] = tr(A). The standard error
 * is the sample standard deviation of the R terms (denominator R - 1) over sqrt(R); its
 * expectation squared is Var(v^T A v) / R = 2 (||A||_F^2 - sum_i A_ii^2) / R. R operator
 * applications; two vectors of length p.
 */
public final class Hutchinson {

    /** Stream number of the probe vectors within the seed. */
    private static final long STREAM = 0x48555443L; // "HUTC"

    private Hutchinson() {
    }

    /**
     * The estimate from {@code samples} Rademacher vectors drawn from {@code seed}.
     *
     * @param samples R &gt;= 2 (the standard error needs two terms)
     */
    public static TraceEstimate estimate(LinearOperator a, int samples, long seed) {
        if (samples < 2) {
            throw new IllegalArgumentException("Hutchinson needs at least 2 samples, got " + samples);
        }
        int p = Math.toIntExact(a.dimension());
        SeededRandom random = SeededRandom.stream(seed, STREAM);
        double[] values = new double[p];
        INDArray av = Nd4j.create(a.dataType(), p);
        double[] terms = new double[samples];
        for (int r = 0; r < samples; r++) {
            random.fillRademacher(values, 1.0);
            INDArray v = Nd4j.createFromArray(values).castTo(a.dataType());
            a.apply(v, av);
            terms[r] = Nd4j.getBlasWrapper().level1().dot(p, 1.0, v, av);
        }
        double mean = 0.0;
        for (double t : terms) {
            mean += t;
        }
        mean /= samples;
        double squares = 0.0;
        for (double t : terms) {
            squares += (t - mean) * (t - mean);
        }
        double std = Math.sqrt(squares / (samples - 1));
        return new TraceEstimate(mean, std / Math.sqrt(samples), samples);
    }
}
