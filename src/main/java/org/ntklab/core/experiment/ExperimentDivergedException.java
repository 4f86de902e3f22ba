package org.ntklab.core.experiment;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.model.Model;
import org.ntklab.core.train.DivergedException;

/**
 * An experiment whose training loss became NaN or infinite at {@link #step()}, with what was
 * measured before it: the trajectory records up to that step, the losses L(w_0..w_{step-1}), the
 * network at w_0 and the kernels at w_0 and at the last record. The cause is the
 * {@link DivergedException} of gradient descent; the message is its message.
 */
public final class ExperimentDivergedException extends RuntimeException {

    private final transient List<TrajectoryPoint> trajectory;
    private final transient Model initial;
    private final transient INDArray kernelInit;
    private final transient INDArray kernelLast;

    public ExperimentDivergedException(DivergedException cause, List<TrajectoryPoint> trajectory, Model initial,
            INDArray kernelInit, INDArray kernelLast) {
        super(cause.getMessage(), cause);
        this.trajectory = List.copyOf(trajectory);
        this.initial = initial;
        this.kernelInit = kernelInit;
        this.kernelLast = kernelLast;
    }

    /** The step t at which L(w_t) was not finite. */
    public int step() {
        return ((DivergedException) getCause()).step();
    }

    /** The finite losses L(w_t) for t = 0..step-1. */
    public double[] losses() {
        return ((DivergedException) getCause()).losses();
    }

    /** The records made before the divergence (step 0, every kernelEvery-th step below {@link #step()}). */
    public List<TrajectoryPoint> trajectory() {
        return trajectory;
    }

    /** The network at w_0. */
    public Model initial() {
        return initial;
    }

    /** K(w_0), full. */
    public INDArray kernelInit() {
        return kernelInit;
    }

    /** K at the last record before the divergence (K(w_0) when there was none after step 0). */
    public INDArray kernelLast() {
        return kernelLast;
    }
}
