package org.ntklab.bench;

import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.experiment.ExperimentOutcome;
import org.ntklab.core.experiment.ExperimentResult;
import org.ntklab.core.experiment.ExperimentRunner;
import org.ntklab.core.experiment.ExperimentSpec;
import org.ntklab.core.experiment.HessianProbe;
import org.ntklab.core.experiment.HessianSchedule;
import org.ntklab.core.experiment.LearningRate;
import org.ntklab.core.experiment.MeasurementSpec;
import org.ntklab.core.experiment.MemoryEstimate;
import org.ntklab.core.experiment.TrainingSpec;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.train.Cancellation;
import org.ntklab.core.train.Loss;

/**
 * One whole shallow experiment through ExperimentRunner, for peak-RSS (run under
 * {@code /usr/bin/time -v}) and end-to-end timing against bench/numpy_reference.py. Prints the
 * MemoryEstimate, the wall time and a few results.
 * <pre>
 *   ExperimentMain m steps kernelEvery probes lanczosSteps dtype
 * </pre>
 * Network: the benchmarks' shallow one (n = 100 SPHERE inputs, d = 10, c = 1, tanh, linear
 * output, NTK, both layers trained); learning rate auto(1); Hessian at init only; Lanczos with
 * an unreachable tolerance so it runs exactly lanczosSteps steps; no linearisation error.
 */
public final class ExperimentMain {

    private ExperimentMain() {
    }

    public static void main(String[] args) {
        int m = Integer.parseInt(args[0]);
        int steps = Integer.parseInt(args[1]);
        int kernelEvery = Integer.parseInt(args[2]);
        int probes = Integer.parseInt(args[3]);
        int lanczosSteps = Integer.parseInt(args[4]);
        DataType dtype = Workload.dtype(args.length > 5 ? args[5] : "float64");
        Architecture architecture = Architecture.of(Workload.D, new int[] {m}, Workload.C, Activation.TANH,
                OutputMap.LINEAR, Parameterization.NTK, true, Init.GAUSSIAN);
        LanczosOptions lanczos = LanczosOptions.defaults(1).withMaxIterations(lanczosSteps)
                .withTolerance(LanczosBenchmark.UNREACHABLE_TOLERANCE);
        List<HessianProbe> probeList = MeasurementSpec.defaultProbes(Workload.N).subList(0, probes);
        ExperimentSpec spec = new ExperimentSpec(architecture, dtype, 1, Workload.SHALLOW_1E3.data(dtype),
                new TrainingSpec(new LearningRate.Auto(1.0), steps, -1.0, Loss.SQUARED_ERROR),
                new MeasurementSpec(kernelEvery, probeList, HessianSchedule.INIT, lanczos, false));
        MemoryEstimate estimate = MemoryEstimate.of(spec);
        System.out.println("memoryEstimate.total.bytes=" + estimate.total());
        estimate.breakdown().forEach((k, v) -> System.out.println("memoryEstimate." + k + ".bytes=" + v));
        Nd4j.create(dtype, 1); // load the native backend before the clock starts
        long started = System.nanoTime();
        ExperimentOutcome outcome = new ExperimentRunner().run(spec, (step, total, loss) -> { }, Cancellation.NEVER);
        double seconds = (System.nanoTime() - started) / 1e9;
        ExperimentResult r = outcome.result();
        System.out.println(String.format(Locale.ROOT, "wall.seconds=%.3f", seconds));
        System.out.println("parameters=" + r.parameterCount());
        System.out.println("result=" + r.toString().substring(0, Math.min(600, r.toString().length())));
    }
}
