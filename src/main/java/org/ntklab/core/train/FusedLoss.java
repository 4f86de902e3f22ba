package org.ntklab.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.nn.FirstLayerStep;
import org.ntklab.core.nn.Network;

/**
 * L(w) and grad L(w) of the squared error for a shallow network ({@link FirstLayerStep#applies}),
 * without a forward pass: the same bits as {@link Loss#value} and {@link Loss#gradient} of a
 * {@code ForwardPass}, for the training steps that no hook reads. Reuses its buffers from step
 * to step; one step at a time.
 */
public final class FusedLoss {

    private final Dataset data;
    private final int n;
    private final FirstLayerStep step;
    private final INDArray outputs;

    private FusedLoss(Network network, Dataset data, int n) {
        this.data = data;
        this.n = n;
        this.step = new FirstLayerStep(network, n);
        this.outputs = Nd4j.create(network.dataType(), n, network.architecture().outputDim());
    }

    /** The fused loss of {@code network} on {@code data}, or null when {@code loss} or the network is not fused. */
    public static FusedLoss of(Network network, Dataset data, Loss loss) {
        int n = Math.toIntExact(data.x().rows());
        return loss == Loss.SQUARED_ERROR && FirstLayerStep.applies(network, n) ? new FusedLoss(network, data, n) : null;
    }

    /** Returns L at the network's current weights and writes grad L into {@code gradient} (length p). */
    public double valueAndGradient(INDArray gradient) {
        step.run(data.x(), data.y(), 1.0 / n, outputs, gradient);
        return Loss.squaredError(outputs, data.y(), n);
    }
}
