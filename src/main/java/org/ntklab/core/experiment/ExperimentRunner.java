package org.ntklab.core.experiment;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.kernel.GaussianExpectation;
import org.ntklab.core.kernel.InfiniteWidthCache;
import org.ntklab.core.kernel.InfiniteWidthKernel;
import org.ntklab.core.model.MlpSpec;
import org.ntklab.core.model.Model;
import org.ntklab.core.spectral.KernelSpectrum;
import org.ntklab.core.spectral.Lanczos;
import org.ntklab.core.spectral.LinearOperator;
import org.ntklab.core.spectral.Reorthogonalization;
import org.ntklab.core.spectral.SpectralDensity;
import org.ntklab.core.spectral.SpectrumEstimate;
import org.ntklab.core.spectral.TraceEstimate;
import org.ntklab.core.spectral.Hutchinson;
import org.ntklab.core.train.Cancellation;
import org.ntklab.core.train.DivergedException;
import org.ntklab.core.train.GradientDescent;
import org.ntklab.core.train.ProgressListener;

/**
 * Runs one experiment end to end (SCIENCE.md): draws w_0, measures K(w_0), its spectrum and
 * ||H(w_0)|| (and, when asked, Theta_inf and the distance to it), trains by full-batch gradient
 * descent recording dK(t), the weight change, the gradient norm and the linearisation error, and
 * measures the end state. Single-threaded in
 * Java (ND4J and its BLAS use their own threads); one instance may run experiments concurrently
 * on different threads.
 */
public final class ExperimentRunner {

    /** Theta_inf of recent experiments: a width sweep over the same data computes it once per data set. */
    private final InfiniteWidthCache limits = new InfiniteWidthCache();

    /**
     * @param progress     told after every step
     * @param cancellation checked between steps and between Hessian probes
     * @throws org.ntklab.core.train.CancelledException when cancelled
     * @throws ExperimentDivergedException when the loss becomes NaN or infinite; it carries the
     *         trajectory recorded up to that step
     */
    public ExperimentOutcome run(ExperimentSpec spec, ProgressListener progress, Cancellation cancellation) {
        return run(spec, progress, cancellation, PhaseClock.start());
    }

    /**
     * As {@link #run(ExperimentSpec, ProgressListener, Cancellation)}, timed on {@code clock}: the
     * result's {@code durationSeconds} is the clock's elapsed time (so a caller may start it before
     * preparing the data) and its {@code timings} what the clock charged to each {@link Phase}. The
     * caller may go on charging the clock (exports) and replace both with
     * {@link ExperimentResult#withTimings}.
     */
    public ExperimentOutcome run(ExperimentSpec spec, ProgressListener progress, Cancellation cancellation,
            PhaseClock clock) {
        Dataset data = spec.data();
        MeasurementSpec measure = spec.measurements();
        Model network;
        Model initial;
        INDArray w0;
        int n = Math.toIntExact(data.x().rows());
        INDArray kernel0;
        double kernelNorm0;
        KernelSpectrum spectrum0;
        double lr;
        INDArray f0;
        try (PhaseClock.Span setup = clock.enter(Phase.SETUP)) {
            network = spec.model().initialize(spec.seed(), spec.dtype());
            initial = network.copy();
            w0 = initial.parameters();
            Model.Evaluation pass0 = initial.evaluate(data.x());
            kernel0 = initial.tangentKernel(pass0);
            kernelNorm0 = kernel0.norm2Number().doubleValue();
            boolean outputFinite = finite(pass0.output());
            if (!outputFinite || !Double.isFinite(kernelNorm0)) {
                // not a degenerate kernel: the arithmetic overflowed (inputs far too large for the dtype)
                throw new IllegalArgumentException((outputFinite ? "the tangent kernel K(w0)" : "the network's output f(w0; x)")
                        + " is not finite at this initialisation: the forward pass overflowed in "
                        + data.x().dataType().name().toLowerCase(java.util.Locale.ROOT) + " (largest |x| = "
                        + data.x().amaxNumber().doubleValue() + ", largest |y| = " + data.y().amaxNumber().doubleValue()
                        + "); the inputs are too large: rescale (standardise) the data");
            }
            if (!(kernelNorm0 > 0)) {
                // dK = ||K - K0|| / ||K0|| and the automatic learning rate divide by it
                throw new IllegalArgumentException("the tangent kernel K(w0) is zero at this initialisation (e.g. every "
                        + "relu unit is inactive on every input): dK and the automatic learning rate are undefined; "
                        + "try another seed, wider layers or another activation");
            }
            spectrum0 = KernelSpectrum.of(kernel0);
            lr = spec.training().learningRate().effective(n, spectrum0.lambdaMax());
            f0 = pass0.output().dup();
            pass0.close(); // release the activations of w_0; the linearisation recomputes what it needs
        }

        InfiniteWidthKernel.Limit limit = null;
        InfiniteWidthSummary infiniteWidth = null;
        double distanceInit = Double.NaN;
        if (measure.infiniteWidthKernel()) {
            try (PhaseClock.Span span = clock.enter(Phase.INFINITE_WIDTH_KERNEL)) {
                String reason = infiniteWidthReason(spec);
                if (reason == null) {
                    limit = limits.get(spec.architecture(), data.x(), () -> InfiniteWidthKernel.of(spec.architecture(),
                            data.x(), GaussianExpectation.CLOSED_FORM_WHERE_KNOWN, cancellation));
                    if (!limit.converged()) {
                        reason = "the quadrature of the Gaussian expectations did not converge to 1e-10 (largest "
                                + "relative change between refinements " + limit.worstChange() + ")";
                        limit = null;
                    }
                }
                infiniteWidth = reason == null ? null : InfiniteWidthSummary.undefined(reason);
                if (limit != null) {
                    distanceInit = InfiniteWidthKernel.distance(kernel0, limit.theta(), network.outputDim());
                }
            }
        }

        List<String> notes = new ArrayList<>(notesFor(spec));
        HessianSummary hessianInit = measure.probes().isEmpty() ? null
                : hessian(initial, data, measure, cancellation, clock, 0);
        if (hessianInit != null && hessianInit.probes().stream()
                .anyMatch(p -> p.reorthogonalization() == Reorthogonalization.LOCAL)) {
            notes.add("The Lanczos basis for ||H|| would exceed its memory bound: it ran with local "
                    + "reorthogonalisation only (extreme Ritz values still converge; residuals are the beta bound).");
        }
        LossHessianEstimate lossHessianInit = null;
        if (measure.lossHessian()) {
            cancellation.check();
            try (PhaseClock.Span span = clock.enter(Phase.LOSS_HESSIAN)) {
                lossHessianInit = LossHessian.estimate(initial, data.x(), data.y(), spec.training().loss(),
                        measure.lanczos(), spectrum0.lambdaMax());
            }
        }

        List<TrajectoryPoint> trajectory = new ArrayList<>();
        INDArray[] lastKernel = {kernel0};
        HessianSummary[] endHessian = {null};
        double[] maxKernelChange = {0.0};
        double[] maxLinearization = {0.0};
        GradientDescent.Options options = new GradientDescent.Options(lr, spec.training().steps(),
                spec.training().lossTarget(), spec.training().loss(), measure.kernelEvery());
        // the losses of the steps taken so far (L(w_t) is reported as step t + 1), for a divergence found at a record
        double[] losses = new double[spec.training().steps() + 1];
        ProgressListener tracking = (step, steps, loss) -> {
            if (step >= 1 && step <= losses.length) {
                losses[step - 1] = loss;
            }
            progress.onStep(step, steps, loss);
        };
        Model.RecordHook record = state -> {
            try (PhaseClock.Span records = clock.enter(Phase.KERNEL_RECORDS)) {
                INDArray kernel = state.step() == 0 ? kernel0 : state.model().tangentKernel(state.evaluation());
                double kernelChange = state.step() == 0 ? 0.0
                        : kernel.distance2(kernel0) / kernelNorm0;
                if (!Double.isFinite(kernelChange)) {
                    // the loss is finite, but the Jacobian has overflowed: the run cannot be measured further
                    throw new DivergedException(state.step(), "the tangent kernel K(w_t)",
                            java.util.Arrays.copyOf(losses, state.step()));
                }
                maxKernelChange[0] = Math.max(maxKernelChange[0], kernelChange);
                if (lastKernel[0] != kernel0 && lastKernel[0] != kernel) {
                    lastKernel[0].close(); // release the previous record's (n c)^2 buffer now, not at the next GC
                }
                lastKernel[0] = kernel;
                INDArray dw = state.model().parameters().sub(w0);
                Double linearization = null;
                if (measure.linearizationError()) {
                    try (PhaseClock.Span span = clock.enter(Phase.LINEARIZATION)) {
                        double e = state.step() == 0 ? 0.0
                                : linearizationError(initial, data.x(), f0, state.evaluation().output(), dw);
                        maxLinearization[0] = Math.max(maxLinearization[0], e);
                        linearization = e;
                    }
                }
                HessianSummary h = null;
                if (!measure.probes().isEmpty()) {
                    if (state.step() == 0) {
                        h = measure.hessianAt() == HessianSchedule.EVERY_RECORD ? hessianInit : null;
                    } else if (measure.hessianAt() == HessianSchedule.EVERY_RECORD
                            || (state.last() && measure.hessianAt() == HessianSchedule.INIT_AND_END)) {
                        h = hessian(state.model(), data, measure, cancellation, clock, state.step());
                    }
                    if (state.last() && measure.hessianAt() != HessianSchedule.INIT) {
                        endHessian[0] = state.step() == 0 ? hessianInit : h;
                    }
                }
                trajectory.add(new TrajectoryPoint(state.step(), state.loss(), kernelChange,
                        dw.norm2Number().doubleValue(), dw.normmaxNumber().doubleValue(), state.gradientNorm(),
                        linearization, h));
            }
        };
        GradientDescent.Run run;
        try (PhaseClock.Span training = clock.enter(Phase.TRAINING)) {
            run = network.train(data, options, record, tracking, cancellation);
        } catch (DivergedException e) {
            throw new ExperimentDivergedException(e, trajectory, initial, kernel0, lastKernel[0]);
        }

        TrajectoryPoint last = trajectory.get(trajectory.size() - 1);
        KernelSpectrum spectrumEnd;
        try (PhaseClock.Span records = clock.enter(Phase.KERNEL_RECORDS)) {
            spectrumEnd = run.steps() == 0 ? spectrum0 : KernelSpectrum.of(lastKernel[0]);
        }
        LossHessianEstimate lossHessianEnd = null;
        if (measure.lossHessian() && measure.hessianAt() != HessianSchedule.INIT) {
            cancellation.check();
            try (PhaseClock.Span span = clock.enter(Phase.LOSS_HESSIAN)) {
                lossHessianEnd = run.steps() == 0 ? lossHessianInit
                        : LossHessian.estimate(network, data.x(), data.y(), spec.training().loss(), measure.lanczos(),
                                spectrumEnd.lambdaMax());
            }
        }
        INDArray kernelInfinite = null;
        if (limit != null) {
            try (PhaseClock.Span span = clock.enter(Phase.INFINITE_WIDTH_KERNEL)) {
                KernelSpectrum limitSpectrum = KernelSpectrum.of(limit.theta());
                infiniteWidth = new InfiniteWidthSummary(distanceInit,
                        InfiniteWidthKernel.distance(lastKernel[0], limit.theta(), network.outputDim()),
                        limitSpectrum.lambdaMin(), limitSpectrum.lambdaMax(),
                        limit.quadrature() ? InfiniteWidthSummary.QUADRATURE : InfiniteWidthSummary.CLOSED_FORM,
                        limit.quadrature() ? limit.worstChange() : null, null);
                kernelInfinite = limit.theta().castTo(spec.dtype()).dup(); // the cached Theta stays unshared
            }
        }
        ExperimentResult result = new ExperimentResult(maxKernelChange[0], kernelNorm0, hessianInit, endHessian[0],
                run.losses()[0], run.losses()[run.steps()], last.weightChangeL2(), last.weightChangeLinf(),
                measure.linearizationError() ? maxLinearization[0] : null, run.steps(), run.reachedTarget(),
                network.parameterCount(), clock.elapsedSeconds(), lr, spectrum0, spectrumEnd,
                trajectory, infiniteWidth, notes, clock.timings(), lossHessianInit, lossHessianEnd);
        return new ExperimentOutcome(result, initial, kernel0, lastKernel[0], run.losses(), kernelInfinite);
    }

    /**
     * ||H_k(w; x_i)|| for every probe, by Lanczos on the exact Hessian-vector product, charged to
     * {@link Phase#HESSIAN} with each probe's time recorded at {@code step}; with the layer blocks,
     * the trace and the spectral density where {@code measure} asks for them ({@link HessianStructure}),
     * charged to {@link Phase#HESSIAN_STRUCTURE}.
     */
    static HessianSummary hessian(Model network, Dataset data, MeasurementSpec measure, Cancellation cancellation,
            PhaseClock clock, int step) {
        List<HessianProbeResult> results = new ArrayList<>();
        // The probes' Lanczos runs share one basis (a new one costs a pass over its pages); not when
        // the Hessian's structure runs between them with Krylov bases of its own (the memory estimate
        // counts one basis at a time).
        boolean structureRuns = measure.hessianBlocks() || measure.traceSamples() > 0 || measure.density() != null;
        try (PhaseClock.Span span = clock.enter(Phase.HESSIAN);
                Lanczos.Workspace krylov = structureRuns ? null : new Lanczos.Workspace()) {
            for (HessianProbe probe : measure.probes()) {
                cancellation.check();
                long started = clock.now();
                INDArray x = data.x().get(NDArrayIndex.interval(probe.index(), probe.index() + 1), NDArrayIndex.all())
                        .dup();
                LinearOperator op = network.hessian(x, probe.output());
                SpectrumEstimate estimate = Lanczos.estimate(op, measure.lanczos(), krylov);
                clock.probe(step, probe, clock.now() - started);
                List<BlockNorm> blocks = null;
                TraceEstimate trace = null;
                SpectralDensity density = null;
                if (measure.hessianBlocks() || measure.traceSamples() > 0 || measure.density() != null) {
                    try (PhaseClock.Span structure = clock.enter(Phase.HESSIAN_STRUCTURE)) {
                        if (measure.hessianBlocks()) {
                            cancellation.check();
                            blocks = HessianStructure.blocks(op, network.trainableLayers(), measure.lanczos(),
                                    cancellation);
                        }
                        if (measure.traceSamples() > 0) {
                            cancellation.check();
                            trace = Hutchinson.estimate(op, measure.traceSamples(), measure.lanczos().seed());
                        }
                        if (measure.density() != null) {
                            cancellation.check();
                            DensitySpec d = measure.density();
                            density = SpectralDensity.estimate(op, d.runs(), d.steps(), d.gridPoints(), d.sigma(),
                                    measure.lanczos().seed());
                        }
                    }
                }
                results.add(HessianProbeResult.of(probe, estimate, blocks, trace, density));
            }
        }
        return HessianSummary.of(results);
    }

    /**
     * max_i ||f(w_t; x_i) - f(w_0; x_i) - J(w_0; x_i)(w_t - w_0)||_2, one JVP at w_0.
     *
     * @param ft f(w_t; X), shape (n, c)
     * @param dw w_t - w_0
     */
    static double linearizationError(Model initial, INDArray x, INDArray f0, INDArray ft, INDArray dw) {
        INDArray jv = initial.jvp(x, dw);
        INDArray residual = ft.sub(f0).subi(jv);
        return Math.sqrt(residual.mul(residual).sum(1).maxNumber().doubleValue());
    }

    /**
     * Why the infinite-width kernel is not defined for this experiment's model (SCIENCE.md), or
     * null when it is.
     */
    public static String infiniteWidthReason(ExperimentSpec spec) {
        if (!(spec.model() instanceof MlpSpec mlp)) {
            return "the infinite-width kernel is computed for fully connected networks only (convolutional and "
                    + "residual networks are not supported yet)";
        }
        return InfiniteWidthKernel.undefinedReason(mlp.architecture());
    }

    private static List<String> notesFor(ExperimentSpec spec) {
        List<String> notes = new ArrayList<>(spec.model().notes());
        if (spec.dtype() == org.nd4j.linalg.api.buffer.DataType.FLOAT) {
            notes.add("float32 arithmetic: values carry about 7 significant digits.");
        }
        return notes;
    }

    /** Whether every entry of {@code a} is finite (neither NaN nor infinite). */
    private static boolean finite(INDArray a) {
        double sum = a.sumNumber().doubleValue(); // NaN or infinite when an entry is, or when the sum overflows
        return Double.isFinite(sum) || java.util.Arrays.stream(a.dup().data().asDouble()).allMatch(Double::isFinite);
    }
}
