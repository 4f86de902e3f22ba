package org.ntklab.core.experiment;

/**
 * Where an experiment's wall time goes ({@link Timings}). Every second between the start of a run
 * and its end is charged to exactly one phase, the innermost one entered ({@link PhaseClock}), so
 * the phases sum to the run's duration. A new measurement adds a constant here and enters it
 * around its work; the JSON, the metrics ({@code ntklab_phase_seconds{phase}}) and the dashboard's
 * bar pick it up by {@link #key()}.
 */
public enum Phase {
    /** Data, the initial weights w_0, the first forward pass, K(w_0), its spectrum and the learning rate. */
    SETUP("setup"),
    /** Gradient-descent steps: forward pass, loss, gradient, update (the records excluded). */
    TRAINING("training"),
    /** Kernel records: K(w_t), dK(t), the weight change and the end spectrum. */
    KERNEL_RECORDS("kernelRecords"),
    /** ||H|| by Lanczos, every probe at every point where it is measured. */
    HESSIAN("hessian"),
    /** The Hessian's layer blocks, Hutchinson trace and spectral density (SLQ), where asked for. */
    HESSIAN_STRUCTURE("hessianStructure"),
    /** The training loss's Hessian (Lanczos on J^T J v / n plus the residual-weighted model Hessian). */
    LOSS_HESSIAN("lossHessian"),
    /** The infinite-width kernel Theta_inf and the distances of K(w_0) and K(w_T) to it. */
    INFINITE_WIDTH_KERNEL("infiniteWidthKernel"),
    /** The linearisation error, one JVP at w_0 per record. */
    LINEARIZATION("linearization"),
    /** initial.npz, kernels.npz and the CSV files. */
    EXPORTS("exports");

    private final String key;

    Phase(String key) {
        this.key = key;
    }

    /** The phase's name in results and metrics (camel case). */
    public String key() {
        return key;
    }
}
