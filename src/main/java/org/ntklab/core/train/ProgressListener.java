package org.ntklab.core.train;

/** Told after every gradient-descent step; must be cheap (it runs on the training thread). */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (step, steps, loss) -> { };

    /**
     * @param step  the number of updates done so far
     * @param steps the maximum number of updates
     * @param loss  L(w_step)
     */
    void onStep(int step, int steps, double loss);
}
