package org.ntklab.core.spectral;

/**
 * The extreme eigenvalues of a symmetric, possibly indefinite operator, with the evidence for them.
 *
 * @param norm                the spectral norm {@code max(|lambdaMax|, |lambdaMin|)}
 * @param lambdaMax           the largest Ritz value {@code theta_max}
 * @param lambdaMin           the smallest Ritz value {@code theta_min}
 * @param residual            {@code max} over the two extreme Ritz pairs of {@code ||A y - theta y||}
 *                            (measured with FULL, the bound {@code beta_k |s_k|} with LOCAL; see
 *                            {@link Lanczos})
 * @param iterations          Lanczos steps taken, i.e. operator applications in the recurrence
 * @param converged           whether both extreme pairs met the tolerance or the Krylov space became
 *                            invariant
 * @param reorthogonalization how the basis was kept orthogonal
 */
public record SpectrumEstimate(
        double norm,
        double lambdaMax,
        double lambdaMin,
        double residual,
        int iterations,
        boolean converged,
        Reorthogonalization reorthogonalization) {

    public SpectrumEstimate {
        if (reorthogonalization == null) {
            throw new IllegalArgumentException("reorthogonalization is required");
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
    }
}
