package org.ntklab.core.train;

/**
 * Training produced a loss that is NaN or infinite (typically a learning rate above the stable
 * 2n / lambda_max(K)). Carries the step at which it happened and the finite losses before it.
 */
public final class DivergedException extends RuntimeException {

    private final int step;
    private final double[] losses;

    public DivergedException(int step, double loss, double[] losses) {
        super("training diverged at step " + step + ": loss = " + loss
                + " (the learning rate is probably too large; try {\"auto\": 1.0} or smaller)");
        this.step = step;
        this.losses = losses.clone();
    }

    /**
     * The loss is still finite at {@code step} but {@code what} is not (e.g. the gradient, when
     * activations saturate to where their derivatives overflow): the run cannot go on.
     */
    public DivergedException(int step, String what, double[] losses) {
        super("training diverged at step " + step + ": " + what + " is not finite although the loss is"
                + " (the weights have grown beyond what the arithmetic can hold; try a smaller learning rate)");
        this.step = step;
        this.losses = losses.clone();
    }

    public int step() {
        return step;
    }

    /** The losses at steps 0..step-1. */
    public double[] losses() {
        return losses.clone();
    }
}
