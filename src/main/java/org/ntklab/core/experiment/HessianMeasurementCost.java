package org.ntklab.core.experiment;

/**
 * An upper estimate of the time the opt-in Hessian measurements take (the layer blocks, the trace,
 * the spectral density and the loss Hessian of {@link MeasurementSpec}), so that admission can
 * refuse a spec that would hold a worker for hours. Counted in single-input Hessian-vector
 * products (HVPs) of p trainable parameters:
 * <pre>
 *   per probe and point:  blocks (k + 2) T^2  +  trace R  +  density runs q
 *   per loss-Hessian point: 3 (k + 2) 2 n       (two Lanczos runs for the extremes, one for Gauss-Newton;
 *                                                one product J^T J v + R-operator ~ 2 n single-input HVPs)
 *   seconds = HVPs p {@link #SECONDS_PER_PARAMETER}
 * </pre>
 * with k the Lanczos iteration cap, T the trainable layers (T(T-1)/2 off-diagonal blocks at
 * 2 (k + 2) products each, T diagonal ones at k + 2), points 1 (init), 2 (init and end) or
 * steps / kernelEvery + 2 (every record; the loss Hessian is measured at init and end only).
 */
public final class HessianMeasurementCost {

    /**
     * Seconds per trainable parameter of one single-input HVP. BENCHMARKS.md measured 4-5 ns
     * (0.44 ms at p = 1.1e5, 54 ms at p = 1.1e7, float64, 2 threads, shallow tanh); twice that
     * leaves room for one thread or a busy machine, so the estimate errs towards refusing.
     */
    static final double SECONDS_PER_PARAMETER = 1e-8;

    private HessianMeasurementCost() {
    }

    /**
     * @param parameters trainable parameters p
     * @param layers     trainable layers T
     * @param n          training examples
     * @param steps      gradient-descent steps
     * @return the estimated seconds of the opt-in Hessian measurements (0 when none is asked for)
     */
    public static double estimatedSeconds(MeasurementSpec m, long parameters, int layers, int n, int steps) {
        double k2 = m.lanczos().maxIterations() + 2.0;
        double perProbe = (m.hessianBlocks() ? k2 * layers * layers : 0.0) + m.traceSamples()
                + (m.density() == null ? 0.0 : (double) m.density().runs() * m.density().steps());
        double structurePoints = switch (m.hessianAt()) {
            case INIT -> 1;
            case INIT_AND_END -> 2;
            case EVERY_RECORD -> steps / (double) m.kernelEvery() + 2;
        };
        double products = structurePoints * m.probes().size() * perProbe;
        if (m.lossHessian()) {
            products += (m.hessianAt() == HessianSchedule.INIT ? 1 : 2) * 3 * k2 * 2.0 * n;
        }
        return products * parameters * SECONDS_PER_PARAMETER;
    }
}
