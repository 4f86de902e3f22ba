package org.ntklab.core.spectral;

/**
 * A Hutchinson estimate of tr(A) ({@link Hutchinson}).
 *
 * @param estimate      T = (1/R) sum_r v_r^T A v_r
 * @param standardError the sample standard deviation of the R terms over sqrt(R)
 * @param samples       R
 */
public record TraceEstimate(double estimate, double standardError, int samples) {
}
