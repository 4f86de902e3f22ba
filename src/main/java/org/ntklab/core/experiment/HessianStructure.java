package org.ntklab.core.experiment;

import java.util.ArrayList;
import java.util.List;
import org.ntklab.core.model.ParameterBlock;
import org.ntklab.core.spectral.CoordinateBlockOperator;
import org.ntklab.core.spectral.Lanczos;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.spectral.LinearOperator;
import org.ntklab.core.spectral.SpectrumEstimate;
import org.ntklab.core.train.Cancellation;

/**
 * The layer blocks of a Hessian (SCIENCE.md, "Hessian structure"): for every pair of trainable
 * layers l &lt;= l', ||H^(l,l')|| = max |eigenvalue| of S = P_l H P_l' + P_l' H P_l (the diagonal
 * block P_l H P_l for l = l'), by Lanczos on {@link CoordinateBlockOperator}. Written against any
 * Hessian operator and the model's {@link ParameterBlock}s, so every engine gets it. A block that
 * is exactly zero (relu's diagonal blocks with a linear output) breaks Lanczos down at step 1:
 * norm 0, converged. Cost: per off-diagonal block up to 2 (maxIterations + 2) Hessian-vector
 * products, per diagonal block half that.
 */
public final class HessianStructure {

    private HessianStructure() {
    }

    /**
     * The upper triangle of block norms, in order (1,1), (1,2), ..., (1,T), (2,2), ...
     *
     * @param hessian the full Hessian operator (p x p)
     * @param layers  the trainable layers' coordinate ranges, tiling [0, p)
     */
    public static List<BlockNorm> blocks(LinearOperator hessian, List<ParameterBlock> layers, LanczosOptions lanczos) {
        return blocks(hessian, layers, lanczos, () -> false);
    }

    /**
     * {@link #blocks(LinearOperator, List, LanczosOptions)}, checking {@code cancellation} before each block.
     *
     * @throws org.ntklab.core.train.CancelledException when cancelled
     */
    public static List<BlockNorm> blocks(LinearOperator hessian, List<ParameterBlock> layers, LanczosOptions lanczos,
            Cancellation cancellation) {
        List<BlockNorm> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            for (int j = i; j < layers.size(); j++) {
                cancellation.check();
                ParameterBlock a = layers.get(i);
                ParameterBlock b = layers.get(j);
                LinearOperator s = new CoordinateBlockOperator(hessian, a.offset(), a.size(), b.offset(), b.size());
                SpectrumEstimate e = Lanczos.estimate(s, lanczos);
                out.add(new BlockNorm(List.of(a.layer(), b.layer()), e.norm(), e.iterations(), e.converged()));
            }
        }
        return out;
    }
}
