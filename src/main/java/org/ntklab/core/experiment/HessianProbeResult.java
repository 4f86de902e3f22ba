package org.ntklab.core.experiment;

import org.ntklab.core.spectral.Reorthogonalization;
import org.ntklab.core.spectral.SpectrumEstimate;

/**
 * ||H_k(w; x_i)|| for one probe, with Lanczos's evidence: the extreme Ritz values, the residual,
 * the iterations, whether it converged, and how the Krylov basis was kept orthogonal.
 */
public record HessianProbeResult(int index, int output, double norm, double lambdaMax, double lambdaMin,
        double residual, int iterations, boolean converged, Reorthogonalization reorthogonalization) {

    static HessianProbeResult of(HessianProbe probe, SpectrumEstimate e) {
        return new HessianProbeResult(probe.index(), probe.output(), e.norm(), e.lambdaMax(), e.lambdaMin(),
                e.residual(), e.iterations(), e.converged(), e.reorthogonalization());
    }
}
