package org.ntklab.jobs;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ntklab.core.experiment.TrajectoryPoint;

/** CSV renderings of a run: one row per record, and the loss at every step. Numbers in Java's shortest round-trip form. */
public final class TrajectoryCsv {

    private TrajectoryCsv() {
    }

    /** {@code step,loss,kernelChange,weightChangeL2,weightChangeLinf,gradientNorm,linearizationError,hessianMax}. */
    public static byte[] records(List<TrajectoryPoint> points) {
        StringBuilder out = new StringBuilder(
                "step,loss,kernelChange,weightChangeL2,weightChangeLinf,gradientNorm,linearizationError,hessianMax\n");
        for (TrajectoryPoint p : points) {
            out.append(p.step()).append(',').append(p.loss()).append(',').append(p.kernelChange()).append(',')
                    .append(p.weightChangeL2()).append(',').append(p.weightChangeLinf()).append(',')
                    .append(p.gradientNorm()).append(',')
                    .append(p.linearizationError() == null ? "" : p.linearizationError().toString()).append(',')
                    .append(p.hessian() == null ? "" : Double.toString(p.hessian().max())).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code step,loss} for every step. */
    public static byte[] losses(double[] losses) {
        StringBuilder out = new StringBuilder("step,loss\n");
        for (int t = 0; t < losses.length; t++) {
            out.append(t).append(',').append(losses[t]).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
