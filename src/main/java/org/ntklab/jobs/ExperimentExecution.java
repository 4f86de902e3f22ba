package org.ntklab.jobs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import org.ntklab.core.array.Parallel;
import org.ntklab.core.array.Simd;
import org.ntklab.core.experiment.ExperimentDivergedException;
import org.ntklab.core.experiment.ExperimentOutcome;
import org.ntklab.core.experiment.ExperimentRunner;
import org.ntklab.core.experiment.ExperimentSpec;
import org.ntklab.core.experiment.Exports;
import org.ntklab.core.experiment.ExperimentResult;
import org.ntklab.core.experiment.Phase;
import org.ntklab.core.experiment.PhaseClock;
import org.ntklab.core.experiment.Timings;
import org.ntklab.core.train.Cancellation;
import org.ntklab.core.train.ProgressListener;
import org.ntklab.jobs.spec.DatasetResolver;
import org.ntklab.jobs.spec.ExperimentSpecification;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a stored experiment spec through the engine and packages what is kept: the report (JSON)
 * and the artifacts {@code initial.npz}, {@code kernels.npz} (with {@code Kinf} when the
 * infinite-width kernel is measured and defined), {@code trajectory.csv} and {@code losses.csv},
 * plus {@code hessian.csv} and {@code density.csv} ({@link HessianCsv}) when the Hessian's structure
 * was measured. Data that names an uploaded dataset is read from it (through the resolver) when the
 * run starts, so {@code initial.npz} holds exactly the X and Y trained on. The run is timed from
 * reading the spec to the last export ({@link Phase}): the data counts as set-up, the artifacts as
 * exports, and a succeeded run's timings go to {@code phaseTimings} (the metrics).
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
    private final Consumer<Timings> phaseTimings;

    /** Versions and threads of the running service, recorded with every result. */
    public record RuntimeInfo(String softwareVersion, String nd4jVersion, int nd4jThreads, int blasThreads,
            String javaVersion, String instance) {
    }

    public ExperimentExecution(JsonMapper json, RuntimeInfo runtime, DatasetResolver datasets) {
        this(json, runtime, datasets, timings -> { });
    }

    /** @param phaseTimings told the timings of every succeeded run (e.g. Prometheus timers) */
    public ExperimentExecution(JsonMapper json, RuntimeInfo runtime, DatasetResolver datasets,
            Consumer<Timings> phaseTimings) {
        this.json = json;
        this.runtime = runtime;
        this.datasets = datasets;
        this.phaseTimings = phaseTimings;
    }

    /** The same execution, without telling anyone the timings: for runs that are not users' (the start-up warm-up). */
    public ExperimentExecution unrecorded() {
        return new ExperimentExecution(json, runtime, datasets, timings -> { });
    }

    @Override
    public Completed run(Job job, ProgressListener progress, Cancellation cancellation) {
        int previous = Parallel.limitThreads(runtime.nd4jThreads()); // this worker's share of the cores
        try {
            return execute(job, progress, cancellation);
        } finally {
            Parallel.limitThreads(previous);
        }
    }

    private Completed execute(Job job, ProgressListener progress, Cancellation cancellation) {
        PhaseClock clock = PhaseClock.start();
        ExperimentSpecification spec;
        ExperimentSpec core;
        try (PhaseClock.Span setup = clock.enter(Phase.SETUP)) {
            spec = json.readValue(job.spec(), ExperimentSpecification.class);
            core = spec.toCore(datasets);
        }
        ExperimentOutcome outcome;
        try {
            outcome = runner.run(core, progress, cancellation, clock);
        } catch (ExperimentDivergedException e) {
            throw diverged(e, core);
        }
        List<Artifact> artifacts;
        try (PhaseClock.Span exports = clock.enter(Phase.EXPORTS)) {
            ByteArrayOutputStream initial = new ByteArrayOutputStream();
            Exports.writeInitial(initial, outcome.model(), core.data(), core.model().inputShape());
            ByteArrayOutputStream kernels = new ByteArrayOutputStream();
            Exports.writeKernels(kernels, outcome.kernelInit(), outcome.kernelLast(), outcome.kernelInfinite());
            artifacts = new java.util.ArrayList<>(List.of(
                    new Artifact("initial.npz", NPZ, initial.toByteArray()),
                    new Artifact("kernels.npz", NPZ, kernels.toByteArray()),
                    new Artifact("trajectory.csv", CSV, TrajectoryCsv.records(outcome.result().trajectory())),
                    new Artifact("losses.csv", CSV, TrajectoryCsv.losses(outcome.losses()))));
            if (HessianCsv.hasStructure(outcome.result())) {
                artifacts.add(new Artifact("hessian.csv", CSV, HessianCsv.hessian(outcome.result())));
            }
            if (HessianCsv.hasDensity(outcome.result())) {
                artifacts.add(new Artifact("density.csv", CSV, HessianCsv.density(outcome.result())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExperimentResult result = outcome.result().withTimings(clock.timings(), clock.elapsedSeconds());
        ExperimentReport report = ExperimentReport.of(result, new ExperimentReport.Reproducibility(
                core.seed(), spec.dtype().toString(), runtime.softwareVersion(), runtime.nd4jVersion(),
                runtime.nd4jThreads(), runtime.blasThreads(), runtime.javaVersion(), runtime.instance(),
                Simd.path().label()));
        phaseTimings.accept(result.timings());
        return new Completed(json.writeValueAsString(report), result.steps(), artifacts);
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
