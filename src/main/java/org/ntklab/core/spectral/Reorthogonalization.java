package org.ntklab.core.spectral;

/** How a Lanczos run kept its basis orthogonal; reported in every {@link SpectrumEstimate}. */
public enum Reorthogonalization {
    /**
     * Every new vector is orthogonalised against all stored basis vectors, twice (classical
     * Gram–Schmidt, "twice is enough"). Costs {@code (k + 1) * p} stored elements.
     */
    FULL,
    /**
     * Partial reorthogonalisation (Simon 1984): the stored basis is kept, the loss of orthogonality
     * {@code omega_{j+1,k} = q_{j+1}^T q_k} is estimated by its recurrence from the tridiagonal's
     * entries (no inner products over p), and the new vector is orthogonalised against all stored
     * ones, as FULL does, only when some estimate exceeds {@code sqrt(eps)}, and then the next one too.
     * The basis stays semi-orthogonal, which keeps the Ritz values as accurate as FULL's up to
     * rounding of order {@code eps ||A||}, at a fraction of FULL's memory traffic once the basis is large.
     */
    PARTIAL,
    /**
     * Three-term recurrence only, no stored basis: the fallback when the basis would not fit in
     * the memory budget. Extreme Ritz values still converge (Paige); lost orthogonality only adds
     * spurious copies of already converged values.
     */
    LOCAL
}
