package org.ntklab.core.experiment;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.data.DataGenerator;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.GeneratorParameters;
import org.ntklab.core.model.Model;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.spectral.Reorthogonalization;
import org.ntklab.core.train.Cancellation;
import org.ntklab.core.train.CancelledException;
import org.ntklab.core.train.Loss;
import org.ntklab.core.train.ProgressListener;

/**
 * Runs small synthetic experiments through every hot path before real ones arrive, so that the
 * first real experiment does not pay for class loading, ND4J's and OpenBLAS's native start-up (their
 * thread pools included) and JIT compilation: the forward pass, the VJP and the update, the tangent
 * kernel and its spectrum, the exact HVP and Lanczos, the linearisation error's JVP, every
 * activation's sigma, sigma', sigma'' and every output map, and the exports, in float64 and
 * float32. Nothing is kept.
 *
 * <p>Bounded: the runs stop as soon as {@code maxSeconds} have passed (checked between steps and
 * probes, so it overruns by at most one step or one Lanczos run of these small networks). The plan
 * below is two rounds of the two benchmark shapes (a wide shallow net and three hidden layers) in
 * both precisions, the sixteen activation-by-output combinations on a tiny net, then the shapes
 * again, then one wide shallow net and one net of three wide layers at n = 100: the JIT compiles a
 * loop after some ten thousand iterations, which the first round provides, and a method after some
 * thousands of calls, which the second completes; the last two leave profiles of real sizes. Then
 * the wide net's forward pass again ({@link #wideForward}) and tanh on inputs spread across |x| = 1
 * ({@link #spreadTanh}).
 */
public final class Warmup {

    /**
     * What a warm-up did.
     *
     * @param runs     experiments completed
     * @param planned  experiments in the plan
     * @param seconds  wall time spent
     * @param complete whether the whole plan ran within the time bound
     */
    public record Report(int runs, int planned, double seconds, boolean complete) {
    }

    private Warmup() {
    }

    /**
     * Runs the plan until it is done or {@code maxSeconds} have passed on {@code nanoTime}.
     *
     * @param maxSeconds the time bound, &gt;= 0 (0 runs nothing)
     */
    public static Report run(double maxSeconds, LongSupplier nanoTime) {
        return run(maxSeconds, nanoTime, Cancellation.NEVER);
    }

    /** As {@link #run(double, LongSupplier)}, also stopping (between steps) when {@code stop} asks. */
    public static Report run(double maxSeconds, LongSupplier nanoTime, Cancellation stop) {
        if (!(maxSeconds >= 0)) {
            throw new IllegalArgumentException("maxSeconds must be >= 0, got " + maxSeconds);
        }
        long started = nanoTime.getAsLong();
        long deadline = started + (long) Math.min(maxSeconds * 1e9, Long.MAX_VALUE / 2.0);
        Cancellation timeUp = () -> stop.isCancelled() || nanoTime.getAsLong() - deadline >= 0;
        List<ExperimentSpec> plan = plan();
        ExperimentRunner runner = new ExperimentRunner();
        int done = 0;
        try {
            for (ExperimentSpec spec : plan) {
                if (timeUp.isCancelled()) {
                    break;
                }
                ExperimentOutcome outcome = runner.run(spec, ProgressListener.NONE, timeUp);
                Exports.writeInitial(OutputStream.nullOutputStream(), outcome.model(), spec.data(),
                        spec.model().inputShape());
                Exports.writeKernels(OutputStream.nullOutputStream(), outcome.kernelInit(), outcome.kernelLast());
                done++;
            }
            if (!timeUp.isCancelled()) {
                wideForward(spec(new int[] {10000}, Activation.TANH, OutputMap.LINEAR, DataType.DOUBLE, 100, 10, 30, 2, true),
                        timeUp);
            }
            if (!timeUp.isCancelled()) {
                spreadTanh();
            }
        } catch (CancelledException boundReached) {
            // the bound was reached inside a run
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Report(done, plan.size(), (nanoTime.getAsLong() - started) / 1e9, done == plan.size());
    }

    /**
     * The forward pass of the plan's wide shallow net on its n = 100 inputs, 40 times: a job's set-up
     * (f(w_0) and K(w_0)) and its kernel records run it, the experiments above only a few times, so
     * its loops were still compiled at the JIT's first tiers in a first job (seen in a service's
     * compilation log: compiled again 0.4 s into the first job, whose set-up took 0.14-0.26 s
     * against 0.03-0.11 warm).
     */
    static void wideForward(ExperimentSpec spec, Cancellation timeUp) {
        Model model = spec.model().initialize(spec.seed(), spec.dtype());
        for (int k = 0; k < 40 && !timeUp.isCancelled(); k++) {
            try (Model.Evaluation pass = model.evaluate(spec.data().x())) {
                if (pass.output().rows() != spec.data().x().rows()) {
                    throw new IllegalStateException("the forward pass gave " + pass.output().rows() + " rows");
                }
            }
        }
    }

    /**
     * tanh on pre-activations spread across |x| = 1, in native memory (float64) and through heap
     * chunks (float32), with and without sigma'': the experiments' inputs are small (|z| &lt; 1 for
     * nearly all of them), so tanh's loops for the vectors with a lane at or above 1 would otherwise
     * still be compiling in a first real job whose pre-activations are larger (about 20 ms; last,
     * so that the loops for small inputs are compiled from the experiments' profiles).
     */
    static void spreadTanh() {
        double[] spread = spreadInputs();
        for (DataType dtype : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray source = Nd4j.createFromArray(spread).reshape(100, 10000);
            INDArray z = source.castTo(dtype);
            INDArray value = Nd4j.create(dtype, 100, 10000);
            INDArray d1 = Nd4j.create(dtype, 100, 10000);
            INDArray d2 = Nd4j.create(dtype, 100, 10000);
            for (int k = 0; k < 4; k++) {
                Activation.TANH.evaluate(z, value, d1, k % 2 == 0 ? null : d2);
            }
            // 24-56 MB off the Java heap per precision: released now, not at a later collection
            for (INDArray array : new INDArray[] {source, z, value, d1, d2}) {
                if (!array.wasClosed() && array.closeable()) {
                    array.close();
                }
            }
        }
    }

    /** spreadTanh's 10^6 inputs: 2.5 sin(0.618034 i), in [-2.5, 2.5], neighbours far apart. */
    static double[] spreadInputs() {
        double[] spread = new double[100 * 10000];
        for (int i = 0; i < spread.length; i++) {
            spread[i] = 2.5 * Math.sin(i * 0.618034);
        }
        return spread;
    }

    /** The experiments of the warm-up, in order. */
    static List<ExperimentSpec> plan() {
        List<ExperimentSpec> plan = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (DataType dtype : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                plan.add(spec(new int[] {2000}, Activation.TANH, OutputMap.LINEAR, dtype, 50, 10, 60, 2));
                plan.add(spec(new int[] {200, 200, 200}, Activation.TANH, OutputMap.LINEAR, dtype, 50, 10, 20, 1));
            }
            if (round == 0) {
                for (DataType dtype : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                    for (Activation activation : Activation.values()) {
                        OutputMap output = OutputMap.values()[activation.ordinal() % OutputMap.values().length];
                        plan.add(spec(new int[] {64, 64}, activation, output, dtype, 12, 4, 10, 1));
                    }
                    for (OutputMap output : OutputMap.values()) {
                        plan.add(spec(new int[] {64}, Activation.TANH, output, dtype, 12, 4, 10, 1));
                    }
                }
            }
        }
        // Last, so that the profiles the JIT compiles from are those of real sizes: a wide shallow net
        // and three wide layers at n = 100 (a first job of these shapes ran 2.7x slower than the second
        // after a warm-up of small nets alone: code compiled for small sizes was deoptimised).
        // The shallow one trains its output layer (the earlier shallow nets freeze it, as figure 1 does):
        // both branches of the fused first layer's reverse pass have then run at real sizes.
        plan.add(spec(new int[] {10000}, Activation.TANH, OutputMap.LINEAR, DataType.DOUBLE, 100, 10, 30, 2, true));
        plan.add(spec(new int[] {1000, 1000, 1000}, Activation.TANH, OutputMap.LINEAR, DataType.DOUBLE, 100, 10, 6, 1));
        return plan;
    }

    private static ExperimentSpec spec(int[] widths, Activation activation, OutputMap output, DataType dtype,
            int n, int d, int steps, int probes) {
        return spec(widths, activation, output, dtype, n, d, steps, probes, widths.length > 1);
    }

    private static ExperimentSpec spec(int[] widths, Activation activation, OutputMap output, DataType dtype,
            int n, int d, int steps, int probes, boolean trainOutput) {
        int c = output == OutputMap.SOFTMAX ? 3 : 1;
        Architecture architecture = Architecture.of(d, widths, c, activation, output, Parameterization.NTK,
                trainOutput, Init.RADEMACHER);
        Dataset data = DataGenerator.SPHERE.generate(GeneratorParameters.defaults(n, d, c, 1).withDtype(dtype));
        // partial reorthogonalisation, as the service's measurements use it
        LanczosOptions lanczos = LanczosOptions.defaults(1).withMaxIterations(30).withTolerance(1e-300)
                .withReorthogonalization(Reorthogonalization.PARTIAL);
        return new ExperimentSpec(architecture, dtype, 1, data,
                new TrainingSpec(new LearningRate.Auto(0.5), steps, -1.0, Loss.SQUARED_ERROR),
                new MeasurementSpec(Math.max(1, steps / 4), MeasurementSpec.defaultProbes(n).subList(0, probes),
                        HessianSchedule.INIT_AND_END, lanczos, true));
    }
}
