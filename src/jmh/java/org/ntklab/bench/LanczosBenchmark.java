package org.ntklab.bench;

import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ntklab.core.autodiff.HessianVectorProduct;
import org.ntklab.core.spectral.Lanczos;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.spectral.SpectrumEstimate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A 30-step Lanczos run for ||H_0(w; x_0)|| (one Hessian probe). The tolerance is far below
 * attainable so every run takes all 30 steps; the teardown reports the steps and the
 * reorthogonalisation mode (FULL while the 30 x p basis fits in LanczosOptions' 1 GiB default,
 * LOCAL above). Includes drawing the start vector (p Gaussian numbers) and the final residual's
 * two extra products, as ExperimentRunner pays them.
 */
@State(Scope.Benchmark)
public class LanczosBenchmark extends Settings {

    /** Relative residual no run of 30 steps reaches: the run stops on the step count. */
    static final double UNREACHABLE_TOLERANCE = 1e-300;
    static final int STEPS = 30;

    private HessianVectorProduct operator;
    private LanczosOptions options;
    private SpectrumEstimate last;

    @Setup
    public void prepare(Trained t) {
        operator = HessianVectorProduct.ofOutput(t.network,
                t.data.x().get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()).dup(), 0);
        options = LanczosOptions.defaults(1).withMaxIterations(STEPS).withTolerance(UNREACHABLE_TOLERANCE);
    }

    @Benchmark
    public SpectrumEstimate lanczos30() {
        last = Lanczos.estimate(operator, options);
        return last;
    }

    @TearDown
    public void report() {
        if (last != null) {
            System.out.println("lanczos: iterations=" + last.iterations() + " reorthogonalization="
                    + last.reorthogonalization() + " norm=" + last.norm());
        }
    }
}
