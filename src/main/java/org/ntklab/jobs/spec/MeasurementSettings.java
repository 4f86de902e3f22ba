package org.ntklab.jobs.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ntklab.core.experiment.HessianSchedule;
import org.ntklab.core.experiment.MeasurementSpec;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.spectral.Reorthogonalization;

/**
 * The {@code measurements} object (SCIENCE.md, "Tangent kernel", "Hessian of the model").
 *
 * @param kernelEvery        record K(w_t) every this many steps (and at 0 and the end); default 50
 * @param hessianProbes      the Hessian probes; default the first min(4, n) inputs, output 0; [] measures no Hessian
 * @param hessianAt          when ||H|| is measured; default init-and-end
 * @param lanczosMaxIter     the most Lanczos iterations per probe; default 100
 * @param lanczosTol         Lanczos relative residual target, in (0, 1); default 1e-6
 * @param linearizationError whether to measure max_i ||f(w_t; x_i) - f_lin(w_t; x_i)||; default true
 * @param hessianBlocks      whether each probe also reports its layer blocks' norms ||H^(l,l')||
 *                           (SCIENCE.md, "Hessian structure"); absent (the default) means false
 * @param hessianTrace       Hutchinson's trace per probe; absent (the default) for none
 * @param hessianDensity     the spectral density per probe; absent (the default) for none
 * @param lossHessian        whether the result reports the training loss's Hessian at init and at
 *                           the end (SCIENCE.md, "Hessian of the training loss"); absent (the default) means false
 * @param infiniteWidthKernel whether to compute the infinite-width kernel Theta_inf and the distance
 *                           ||K - Theta_inf (x) I_c||_F / ||Theta_inf (x) I_c||_F at init and at the end
 *                           (SCIENCE.md, "Infinite-width tangent kernel"); absent (the default) means false
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeasurementSettings(Integer kernelEvery, List<ProbeSpec> hessianProbes, HessianAt hessianAt,
        Integer lanczosMaxIter, Double lanczosTol, Boolean linearizationError, Boolean hessianBlocks,
        TraceSettings hessianTrace, DensitySettings hessianDensity, Boolean lossHessian, Boolean infiniteWidthKernel) {

    /** Without the Hessian's structure, the loss Hessian or the infinite-width kernel. */
    public MeasurementSettings(Integer kernelEvery, List<ProbeSpec> hessianProbes, HessianAt hessianAt,
            Integer lanczosMaxIter, Double lanczosTol, Boolean linearizationError) {
        this(kernelEvery, hessianProbes, hessianAt, lanczosMaxIter, lanczosTol, linearizationError, null, null, null,
                null, null);
    }

    /** Without the Hessian's structure or the loss Hessian. */
    public MeasurementSettings(Integer kernelEvery, List<ProbeSpec> hessianProbes, HessianAt hessianAt,
            Integer lanczosMaxIter, Double lanczosTol, Boolean linearizationError, Boolean infiniteWidthKernel) {
        this(kernelEvery, hessianProbes, hessianAt, lanczosMaxIter, lanczosTol, linearizationError, null, null, null,
                null, infiniteWidthKernel);
    }

    /** The default kernel stride. */
    public static final int DEFAULT_KERNEL_EVERY = 50;

    public MeasurementSettings {
        hessianProbes = hessianProbes == null ? null : Collections.unmodifiableList(new ArrayList<>(hessianProbes));
    }

    /**
     * A copy with every null field set to its default, for n training examples. The opt-in
     * measurements stay absent unless asked for (false flags become absent), so a spec without
     * them keeps its canonical form.
     */
    public MeasurementSettings withDefaults(int n) {
        List<ProbeSpec> probes = hessianProbes == null
                ? MeasurementSpec.defaultProbes(Math.max(n, 0)).stream()
                        .map(p -> new ProbeSpec(p.index(), p.output())).toList()
                : hessianProbes.stream().map(p -> p == null ? null : p.withDefaults()).toList();
        return new MeasurementSettings(kernelEvery == null ? DEFAULT_KERNEL_EVERY : kernelEvery, probes,
                hessianAt == null ? HessianAt.INIT_AND_END : hessianAt,
                lanczosMaxIter == null ? LanczosOptions.DEFAULT_MAX_ITERATIONS : lanczosMaxIter,
                lanczosTol == null ? LanczosOptions.DEFAULT_TOLERANCE : lanczosTol,
                linearizationError == null || linearizationError, Boolean.TRUE.equals(hessianBlocks) ? true : null,
                hessianTrace == null ? null : hessianTrace.withDefaults(),
                hessianDensity == null ? null : hessianDensity.withDefaults(),
                Boolean.TRUE.equals(lossHessian) ? true : null, Boolean.TRUE.equals(infiniteWidthKernel) ? true : null);
    }

    /**
     * Adds the violations of defaulted settings for n examples and c outputs; probes are checked
     * against n and c only when those are valid (&gt;= 1), so one mistake is reported once.
     */
    void validate(Limits limits, int n, int c, List<Violation> violations) {
        if (kernelEvery < 1) {
            violations.add(new Violation("measurements.kernelEvery", "must be >= 1, got " + kernelEvery));
        }
        if (hessianProbes.size() > limits.maxProbes()) {
            violations.add(new Violation("measurements.hessianProbes", "at most " + limits.maxProbes()
                    + " probes are allowed, got " + hessianProbes.size(), Limits.PROBES));
        }
        Set<ProbeSpec> seen = new HashSet<>();
        for (int i = 0; i < hessianProbes.size(); i++) {
            ProbeSpec probe = hessianProbes.get(i);
            String field = "measurements.hessianProbes[" + i + "]";
            if (probe == null) {
                violations.add(new Violation(field, "must not be null"));
                continue;
            }
            if (probe.index() == null) {
                violations.add(new Violation(field + ".index", "is required"));
            } else if (n >= 1 && (probe.index() < 0 || probe.index() >= n)) {
                violations.add(new Violation(field + ".index", "must be in [0, n) = [0, " + n + "), got "
                        + probe.index()));
            }
            if (c >= 1 && (probe.output() < 0 || probe.output() >= c)) {
                violations.add(new Violation(field + ".output", "must be in [0, c) = [0, " + c + "), got "
                        + probe.output()));
            }
            if (!seen.add(probe)) {
                violations.add(new Violation(field, "repeats an earlier probe"));
            }
        }
        if (lanczosMaxIter < 1 || lanczosMaxIter > limits.maxLanczosIterations()) {
            violations.add(new Violation("measurements.lanczosMaxIter", "must be in [1, "
                    + limits.maxLanczosIterations() + "], got " + lanczosMaxIter,
                    lanczosMaxIter < 1 ? null : Limits.LANCZOS_ITERATIONS));
        }
        if (!(lanczosTol > 0 && lanczosTol < 1)) {
            violations.add(new Violation("measurements.lanczosTol", "must be in (0, 1), got " + lanczosTol));
        }
        if (hessianTrace != null) {
            hessianTrace.validate(violations);
        }
        if (hessianDensity != null) {
            hessianDensity.validate(limits, violations);
        }
        if (hessianProbes.isEmpty()) {
            requireProbes("hessianBlocks", hessianBlocks != null, violations);
            requireProbes("hessianTrace", hessianTrace != null, violations);
            requireProbes("hessianDensity", hessianDensity != null, violations);
        }
    }

    private static void requireProbes(String field, boolean asked, List<Violation> violations) {
        if (asked) {
            violations.add(new Violation("measurements." + field,
                    "is measured per Hessian probe, but measurements.hessianProbes is empty"));
        }
    }

    /**
     * The core measurement settings of defaulted, valid settings: Lanczos with these iterations
     * and tolerance, the default basis budget ({@link LanczosOptions#DEFAULT_MAX_BASIS_BYTES}),
     * partial reorthogonalisation (the same Ritz values as full to rounding, at a fraction of its
     * memory traffic: LanczosTest) and the experiment's seed.
     */
    public MeasurementSpec toCore(long seed) {
        LanczosOptions lanczos = LanczosOptions.defaults(seed).withMaxIterations(lanczosMaxIter)
                .withTolerance(lanczosTol).withReorthogonalization(Reorthogonalization.PARTIAL);
        return new MeasurementSpec(kernelEvery, hessianProbes.stream().map(ProbeSpec::toCore).toList(),
                hessianAt.toCore(), lanczos, linearizationError, hessianBlocks != null && hessianBlocks,
                hessianTrace == null ? 0 : hessianTrace.samples(),
                hessianDensity == null ? null : hessianDensity.toCore(), lossHessian != null && lossHessian,
                infiniteWidthKernel != null && infiniteWidthKernel);
    }

    /** When ||H|| is measured. */
    public enum HessianAt {
        INIT, INIT_AND_END, EVERY_RECORD;

        /**
         * The schedule named {@code text}, ignoring case.
         *
         * @throws UnknownValueException listing the allowed names
         */
        @JsonCreator
        public static HessianAt parse(String text) {
            return KebabCase.parse(HessianAt.class, "hessianAt", text);
        }

        @JsonValue
        @Override
        public String toString() {
            return KebabCase.of(this);
        }

        public HessianSchedule toCore() {
            return HessianSchedule.valueOf(name());
        }
    }
}
