package org.ntklab.core.experiment;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.model.MlpModel;
import org.ntklab.core.model.Model;
import org.ntklab.core.nn.Network;

/**
 * A finished experiment: its result and the arrays worth exporting.
 *
 * @param result      the reported numbers
 * @param model       the model at w_0 (every layer, frozen ones included)
 * @param kernelInit  K(w_0), full
 * @param kernelLast  K at the last record, full
 * @param losses      L(w_t) for every t = 0..steps
 * @param kernelInfinite Theta_inf (n, n) in the experiment's dtype, or null when not measured or undefined
 */
public record ExperimentOutcome(ExperimentResult result, Model model, INDArray kernelInit, INDArray kernelLast,
        double[] losses, INDArray kernelInfinite) {

    /**
     * The fully connected network at w_0.
     *
     * @throws IllegalStateException for a layered model
     */
    public Network initial() {
        if (model instanceof MlpModel mlp) {
            return mlp.network();
        }
        throw new IllegalStateException("not a fully connected network");
    }
}
