package org.ntklab.core.experiment;

import java.util.List;
import org.ntklab.core.spectral.KernelSpectrum;

/**
 * The numbers an experiment reports (SCIENCE.md). Kernels are full (n c x n c).
 *
 * @param kernelChange       dK = max over records of ||K(w_t) - K(w_0)||_F / ||K(w_0)||_F
 * @param kernelNormInit     ||K(w_0)||_F
 * @param hessianInit        ||H|| at w_0 over the probes (null when there are no probes)
 * @param hessianEnd         ||H|| at the last step (null unless measured there)
 * @param linearizationError the maximum over records (null when not measured)
 * @param steps              updates made
 * @param learningRate       the effective rate
 * @param durationSeconds    wall time of the run, from its clock's start to the result
 * @param infiniteWidthKernel the distance to the infinite-width kernel (null when not measured)
 * @param notes              caveats a reader needs (relu's vanishing sigma'', a Lanczos fallback, ...)
 * @param timings            where {@code durationSeconds} went, by {@link Phase} and Hessian probe
 * @param lossHessianInit    the training loss's Hessian at w_0 (null unless measured)
 * @param lossHessianEnd     the training loss's Hessian at the last step (null unless measured there)
 */
public record ExperimentResult(
        double kernelChange,
        double kernelNormInit,
        HessianSummary hessianInit,
        HessianSummary hessianEnd,
        double initialLoss,
        double finalLoss,
        double weightChangeL2,
        double weightChangeLinf,
        Double linearizationError,
        int steps,
        boolean reachedLossTarget,
        long parameterCount,
        double durationSeconds,
        double learningRate,
        KernelSpectrum kernelSpectrumInit,
        KernelSpectrum kernelSpectrumEnd,
        List<TrajectoryPoint> trajectory,
        InfiniteWidthSummary infiniteWidthKernel,
        List<String> notes,
        Timings timings,
        LossHessianEstimate lossHessianInit,
        LossHessianEstimate lossHessianEnd) {

    /** Without the infinite-width kernel, timings or the loss Hessian. */
    public ExperimentResult(double kernelChange, double kernelNormInit, HessianSummary hessianInit,
            HessianSummary hessianEnd, double initialLoss, double finalLoss, double weightChangeL2,
            double weightChangeLinf, Double linearizationError, int steps, boolean reachedLossTarget,
            long parameterCount, double durationSeconds, double learningRate, KernelSpectrum kernelSpectrumInit,
            KernelSpectrum kernelSpectrumEnd, List<TrajectoryPoint> trajectory, List<String> notes) {
        this(kernelChange, kernelNormInit, hessianInit, hessianEnd, initialLoss, finalLoss, weightChangeL2,
                weightChangeLinf, linearizationError, steps, reachedLossTarget, parameterCount, durationSeconds,
                learningRate, kernelSpectrumInit, kernelSpectrumEnd, trajectory, null, notes, null, null, null);
    }

    public ExperimentResult {
        trajectory = List.copyOf(trajectory);
        notes = List.copyOf(notes);
    }

    /** This result with {@code timings} and {@code durationSeconds} replaced (a caller that timed more, e.g. exports). */
    public ExperimentResult withTimings(Timings newTimings, double newDurationSeconds) {
        return new ExperimentResult(kernelChange, kernelNormInit, hessianInit, hessianEnd, initialLoss, finalLoss,
                weightChangeL2, weightChangeLinf, linearizationError, steps, reachedLossTarget, parameterCount,
                newDurationSeconds, learningRate, kernelSpectrumInit, kernelSpectrumEnd, trajectory, infiniteWidthKernel, notes,
                newTimings,
                lossHessianInit, lossHessianEnd);
    }
}
