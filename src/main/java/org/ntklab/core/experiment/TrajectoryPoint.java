package org.ntklab.core.experiment;

/**
 * One record of a training run (step 0, every kernelEvery steps, the last step).
 *
 * @param step               t, the number of updates made
 * @param loss               L(w_t)
 * @param kernelChange       ||K(w_t) - K(w_0)||_F / ||K(w_0)||_F, full kernel
 * @param weightChangeL2     ||w_t - w_0||_2
 * @param weightChangeLinf   ||w_t - w_0||_inf
 * @param gradientNorm       ||grad L(w_t)||_2
 * @param linearizationError max_i ||f(w_t; x_i) - f_lin(w_t; x_i)||_2, or null when not measured
 * @param hessian            ||H|| at w_t, or null when not measured at this step
 */
public record TrajectoryPoint(int step, double loss, double kernelChange, double weightChangeL2,
        double weightChangeLinf, double gradientNorm, Double linearizationError, HessianSummary hessian) {
}
