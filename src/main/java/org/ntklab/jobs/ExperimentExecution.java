package org.ntklab.jobs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.ntklab.core.array.Simd;
import org.ntklab.core.experiment.ExperimentDivergedException;
import org.ntklab.core.experiment.ExperimentOutcome;
import org.ntklab.core.experiment.ExperimentRunner;
import org.ntklab.core.experiment.ExperimentSpec;
import org.ntklab.core.experiment.Exports;
import org.ntklab.core.train.Cancellation;
import org.ntklab.core.train.ProgressListener;
import org.ntklab.jobs.spec.DatasetResolver;
import org.ntklab.jobs.spec.ExperimentSpecification;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a stored experiment spec through the engine and packages what is kept: the report (JSON)
 * and the artifacts {@code initial.npz}, {@code kernels.npz}, {@code trajectory.csv} and
 * {@code losses.csv}. Data that names an uploaded dataset is read from it (through the resolver)
 * when the run starts, so {@code initial.npz} holds exactly the X and Y trained on.
 */
public class ExperimentExecution implements JobExecution {

    /** The artifacts every SUCCEEDED experiment has, with their media types. */
    public static final List<String> ARTIFACTS = List.of("initial.npz", "kernels.npz", "trajectory.csv", "losses.csv");

    private static final String NPZ = "application/octet-stream";
    private static final String CSV = "text/csv";

    private final JsonMapper json;
    private final ExperimentRunner runner = new ExperimentRunner();
    private final RuntimeInfo runtime;
    private final DatasetResolver datasets;

    /** Versions and threads of the running service, recorded with every result. */
    public record RuntimeInfo(String softwareVersion, String nd4jVersion, int nd4jThreads, int blasThreads,
            String javaVersion, String instance) {
    }

    public ExperimentExecution(JsonMapper json, RuntimeInfo runtime, DatasetResolver datasets) {
        this.json = json;
        this.runtime = runtime;
        this.datasets = datasets;
    }

    @Override
    public Completed run(Job job, ProgressListener progress, Cancellation cancellation) {
        ExperimentSpecification spec = json.readValue(job.spec(), ExperimentSpecification.class);
        ExperimentSpec core = spec.toCore(datasets);
        ExperimentOutcome outcome;
        try {
            outcome = runner.run(core, progress, cancellation);
        } catch (ExperimentDivergedException e) {
            throw diverged(e, core);
        }
        ExperimentReport report = ExperimentReport.of(outcome.result(), new ExperimentReport.Reproducibility(
                core.seed(), spec.dtype().toString(), runtime.softwareVersion(), runtime.nd4jVersion(),
                runtime.nd4jThreads(), runtime.blasThreads(), runtime.javaVersion(), runtime.instance(),
                Simd.path().label()));
        try {
            ByteArrayOutputStream initial = new ByteArrayOutputStream();
            Exports.writeInitial(initial, outcome.model(), core.data(), core.model().inputShape());
            ByteArrayOutputStream kernels = new ByteArrayOutputStream();
            Exports.writeKernels(kernels, outcome.kernelInit(), outcome.kernelLast());
            return new Completed(json.writeValueAsString(report), outcome.result().steps(), List.of(
                    new Artifact("initial.npz", NPZ, initial.toByteArray()),
                    new Artifact("kernels.npz", NPZ, kernels.toByteArray()),
                    new Artifact("trajectory.csv", CSV, TrajectoryCsv.records(outcome.result().trajectory())),
                    new Artifact("losses.csv", CSV, TrajectoryCsv.losses(outcome.losses()))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A diverged run as a failure that keeps its artifacts: initial.npz, kernels.npz (K0 and K at
     * the last record before the divergence), trajectory.csv (those records) and losses.csv
     * (steps 0..step-1).
     */
    private static Failed diverged(ExperimentDivergedException e, ExperimentSpec core) {
        try {
            ByteArrayOutputStream initial = new ByteArrayOutputStream();
            Exports.writeInitial(initial, e.initial(), core.data(), core.model().inputShape());
            ByteArrayOutputStream kernels = new ByteArrayOutputStream();
            Exports.writeKernels(kernels, e.kernelInit(), e.kernelLast());
            return new Failed(new Failure(Failure.Kind.DIVERGED, e.step()), e.getMessage(), List.of(
                    new Artifact("initial.npz", NPZ, initial.toByteArray()),
                    new Artifact("kernels.npz", NPZ, kernels.toByteArray()),
                    new Artifact("trajectory.csv", CSV, TrajectoryCsv.records(e.trajectory())),
                    new Artifact("losses.csv", CSV, TrajectoryCsv.losses(e.losses()))), e);
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
    }
}
