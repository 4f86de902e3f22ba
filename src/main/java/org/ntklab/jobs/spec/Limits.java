package org.ntklab.jobs.spec;

/**
 * Upper bounds an {@link ExperimentSpecification} must respect to be accepted; the service fills
 * them from its configuration. Memory is bounded separately, from
 * {@link ExperimentSpecification#memoryEstimate()}.
 *
 * @param maxSteps              most gradient-descent steps
 * @param maxWidth              widest hidden layer
 * @param maxDepth              most hidden layers
 * @param maxInputValues        most values in x (n d), and in y (n c)
 * @param maxParameters         most trainable parameters p
 * @param maxLanczosIterations  most Lanczos iterations per Hessian probe
 * @param maxOutputs            most outputs c
 * @param maxProbes             most Hessian probes (each costs up to lanczosMaxIter Hessian-vector products)
 */
public record Limits(int maxSteps, int maxWidth, int maxDepth, long maxInputValues, long maxParameters,
        int maxLanczosIterations, int maxOutputs, int maxProbes) {

    /** The settings that configure each limit, as problem details name them. */
    public static final String STEPS = "ntklab.limits.max-steps";
    public static final String WIDTH = "ntklab.limits.max-width";
    public static final String DEPTH = "ntklab.limits.max-depth";
    public static final String INPUT_VALUES = "ntklab.limits.max-input-values";
    public static final String PARAMETERS = "ntklab.limits.max-parameters";
    public static final String LANCZOS_ITERATIONS = "ntklab.limits.max-lanczos-iterations";
    public static final String OUTPUTS = "ntklab.limits.max-outputs";
    public static final String PROBES = "ntklab.limits.max-probes";

    public Limits {
        if (maxSteps < 0 || maxWidth < 1 || maxDepth < 1 || maxInputValues < 1 || maxParameters < 1
                || maxLanczosIterations < 1 || maxOutputs < 1 || maxProbes < 0) {
            throw new IllegalArgumentException("limits must be at least 1 (maxSteps and maxProbes at least 0)");
        }
    }

    /**
     * 100 000 steps, width 1 000 000, depth 16, 10^7 input values, 5 x 10^7 parameters, 1000
     * Lanczos iterations, 1000 outputs, 64 probes.
     */
    public static Limits defaults() {
        return new Limits(100_000, 1_000_000, 16, 10_000_000L, 50_000_000L, 1000, 1000, 64);
    }

    /** No bound beyond what the types can hold: for checking a spec's consistency alone. */
    public static Limits unbounded() {
        return new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
                Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }
}
