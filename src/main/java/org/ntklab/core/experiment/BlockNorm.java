package org.ntklab.core.experiment;

import java.util.List;

/**
 * ||H^(l,l')|| for one probe (SCIENCE.md, "Hessian structure"): the largest singular value of the
 * block d^2 f_k / dW_l dW_l', by Lanczos on the symmetric block operator, with its evidence.
 *
 * @param layers     [l, l'], l &lt;= l', numbered as W_l
 * @param norm       the block's spectral norm (0 for a block that is exactly zero, e.g. relu's diagonal blocks)
 * @param iterations Lanczos steps
 * @param converged  whether both extreme Ritz pairs met the tolerance or the Krylov space became invariant
 */
public record BlockNorm(List<Integer> layers, double norm, int iterations, boolean converged) {
    public BlockNorm {
        layers = List.copyOf(layers);
        if (layers.size() != 2 || layers.get(0) > layers.get(1)) {
            throw new IllegalArgumentException("layers must be [l, l'] with l <= l', got " + layers);
        }
    }
}
