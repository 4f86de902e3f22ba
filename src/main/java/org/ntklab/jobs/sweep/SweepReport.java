package org.ntklab.jobs.sweep;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ntklab.core.fit.PowerLawFit;
import org.ntklab.jobs.JobStatus;

/**
 * A sweep as the API shows it: its state (its children's), the children, one table row per
 * child and the scaling fits.
 *
 * @param status   QUEUED while none has started; RUNNING until all have ended; then SUCCEEDED,
 *                 or CANCELLED if the sweep was cancelled, or FAILED if a child failed
 * @param counts   children by status
 * @param submittedBy the name of the API key that submitted it ({@code anonymous} without one)
 * @param children child experiment ids in grid order
 * @param table    one row per child
 * @param fits     for each group of children that differ only in width (and seed): the slopes of
 *                 log ||H(w0)|| and log dK against log m
 */
public record SweepReport(UUID id, String name, JobStatus status, Map<JobStatus, Long> counts, Instant createdAt,
        String submittedBy, SweepDefinition definition, List<UUID> children, List<Row> table, List<Fit> fits) {

    /**
     * One child: what it overrides and what it found (null until it succeeds).
     *
     * @param width         m on the sweep's width axis
     * @param hessianInit   mean over probes of ||H(w0)||
     * @param hessianEnd    mean over probes of ||H|| at the end, when measured
     * @param infiniteWidthDistanceInit infiniteWidthKernel.distanceInit, when measured and defined
     * @param blockNormsInit mean over probes of each block's ||H^(l,l')(w0)||, keyed "l,l'" in
     *                      layer order; null without measurements.hessianBlocks
     * @param traceInit     mean over probes of the Hutchinson trace of H(w0); null without measurements.hessianTrace
     */
    public record Row(int index, UUID id, JobStatus status, Map<String, Object> overrides, int width, long seed,
            Double kernelChange, Double hessianInit, Double hessianEnd, Double initialLoss, Double finalLoss,
            Double weightChangeL2, Double linearizationError, Double learningRate, Double infiniteWidthDistanceInit,
            Map<String, Double> blockNormsInit, Double traceInit) {

        /** Without the infinite-width kernel. */
        public Row(int index, UUID id, JobStatus status, Map<String, Object> overrides, int width, long seed,
                Double kernelChange, Double hessianInit, Double hessianEnd, Double initialLoss, Double finalLoss,
                Double weightChangeL2, Double linearizationError, Double learningRate,
                Map<String, Double> blockNormsInit, Double traceInit) {
            this(index, id, status, overrides, width, seed, kernelChange, hessianInit, hessianEnd, initialLoss,
                    finalLoss, weightChangeL2, linearizationError, learningRate, null, blockNormsInit, traceInit);
        }

        /** Without the Hessian's structure. */
        public Row(int index, UUID id, JobStatus status, Map<String, Object> overrides, int width, long seed,
                Double kernelChange, Double hessianInit, Double hessianEnd, Double initialLoss, Double finalLoss,
                Double weightChangeL2, Double linearizationError, Double learningRate, Double infiniteWidthDistanceInit) {
            this(index, id, status, overrides, width, seed, kernelChange, hessianInit, hessianEnd, initialLoss,
                    finalLoss, weightChangeL2, linearizationError, learningRate, infiniteWidthDistanceInit, null, null);
        }

        /** Without the Hessian's structure or the infinite-width kernel. */
        public Row(int index, UUID id, JobStatus status, Map<String, Object> overrides, int width, long seed,
                Double kernelChange, Double hessianInit, Double hessianEnd, Double initialLoss, Double finalLoss,
                Double weightChangeL2, Double linearizationError, Double learningRate) {
            this(index, id, status, overrides, width, seed, kernelChange, hessianInit, hessianEnd, initialLoss,
                    finalLoss, weightChangeL2, linearizationError, learningRate, null, null, null);
        }
    }

    /**
     * A scaling fit over one group (SCIENCE.md, "Scaling exponents"); all seeds are points.
     *
     * @param group        the grid values the group shares; widths as a pattern with m for the axis, e.g. "[m, 5, m]"
     * @param widths       the distinct widths in the group
     * @param hessianInit  log ||H(w0)|| (mean over probes) against log m; null without Hessian measurements
     * @param kernelChange log dK against log m
     * @param infiniteWidthDistanceInit log infiniteWidthKernel.distanceInit against log m (SCIENCE.md: slope
     *                     -1/2); null unless every member measured it
     * @param blockNorms   for each block "l,l'", log ||H^(l,l')(w0)|| (mean over probes) against log m;
     *                     null without block measurements; a block that cannot be fitted (exactly zero, as
     *                     the output layer's own block with a linear output) maps to null, absent in JSON
     * @param trace        log |tr H(w0)| (|mean over probes of the Hutchinson estimate|) against log m; null
     *                     without trace measurements
     */
    public record Fit(Map<String, String> group, List<Integer> widths, PowerLawFit hessianInit,
            PowerLawFit kernelChange, PowerLawFit infiniteWidthDistanceInit, Map<String, PowerLawFit> blockNorms,
            PowerLawFit trace) {

        /** Without the infinite-width kernel. */
        public Fit(Map<String, String> group, List<Integer> widths, PowerLawFit hessianInit, PowerLawFit kernelChange,
                Map<String, PowerLawFit> blockNorms, PowerLawFit trace) {
            this(group, widths, hessianInit, kernelChange, null, blockNorms, trace);
        }

        /** Without the Hessian's structure. */
        public Fit(Map<String, String> group, List<Integer> widths, PowerLawFit hessianInit, PowerLawFit kernelChange,
                PowerLawFit infiniteWidthDistanceInit) {
            this(group, widths, hessianInit, kernelChange, infiniteWidthDistanceInit, null, null);
        }

        /** Without the Hessian's structure or the infinite-width kernel. */
        public Fit(Map<String, String> group, List<Integer> widths, PowerLawFit hessianInit, PowerLawFit kernelChange) {
            this(group, widths, hessianInit, kernelChange, null, null, null);
        }
    }
}
