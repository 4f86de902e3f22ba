package org.ntklab.core.experiment;

import java.util.List;
import org.ntklab.core.spectral.Reorthogonalization;
import org.ntklab.core.spectral.SpectralDensity;
import org.ntklab.core.spectral.SpectrumEstimate;
import org.ntklab.core.spectral.TraceEstimate;

/**
 * ||H_k(w; x_i)|| for one probe, with Lanczos's evidence: the extreme Ritz values, the residual,
 * the iterations, whether it converged, and how the Krylov basis was kept orthogonal; and, when
 * measured (SCIENCE.md, "Hessian structure"), the layer blocks' norms, the Hutchinson trace and
 * the spectral density (each null otherwise).
 */
public record HessianProbeResult(int index, int output, double norm, double lambdaMax, double lambdaMin,
        double residual, int iterations, boolean converged, Reorthogonalization reorthogonalization,
        List<BlockNorm> blocks, TraceEstimate trace, SpectralDensity density) {

    public HessianProbeResult {
        blocks = blocks == null ? null : List.copyOf(blocks);
    }

    static HessianProbeResult of(HessianProbe probe, SpectrumEstimate e) {
        return of(probe, e, null, null, null);
    }

    static HessianProbeResult of(HessianProbe probe, SpectrumEstimate e, List<BlockNorm> blocks, TraceEstimate trace,
            SpectralDensity density) {
        return new HessianProbeResult(probe.index(), probe.output(), e.norm(), e.lambdaMax(), e.lambdaMin(),
                e.residual(), e.iterations(), e.converged(), e.reorthogonalization(), blocks, trace, density);
    }
}
