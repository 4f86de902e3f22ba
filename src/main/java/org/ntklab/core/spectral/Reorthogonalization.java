package org.ntklab.core.spectral;

/** How a Lanczos run kept its basis orthogonal; reported in every {@link SpectrumEstimate}. */
public enum Reorthogonalization {
    /**
     * Every new vector is orthogonalised against all stored basis vectors, twice (classical
     * Gram–Schmidt, "twice is enough"). Costs {@code (k + 1) * p} stored elements.
     */
    FULL,
    /**
     * Three-term recurrence only, no stored basis: the fallback when the basis would not fit in
     * the memory budget. Extreme Ritz values still converge (Paige); lost orthogonality only adds
     * spurious copies of already converged values.
     */
    LOCAL
}
