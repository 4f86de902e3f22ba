package org.ntklab.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntklab.core.experiment.Phase;
import org.ntklab.core.experiment.ExperimentResult;
import org.ntklab.core.experiment.HessianSummary;
import org.ntklab.core.experiment.TrajectoryPoint;
import org.ntklab.core.spectral.KernelSpectrum;

/**
 * The result of a SUCCEEDED experiment as stored and served (SCIENCE.md defines every number).
 * Non-finite numbers (a singular kernel's condition number) are null.
 */
public record ExperimentReport(
        double kernelChange,
        double kernelNormInit,
        HessianSummary hessianInit,
        HessianSummary hessianEnd,
        double initialLoss,
        double finalLoss,
        double weightChangeL2,
        double weightChangeLinf,
        Double linearizationError,
        int steps,
        boolean reachedLossTarget,
        long parameterCount,
        double durationSeconds,
        double learningRate,
        Spectrum kernelSpectrumInit,
        Spectrum kernelSpectrumEnd,
        List<TrajectoryPoint> trajectory,
        List<String> notes,
        Reproducibility reproducibility,
        Timings timings) {

    /** λ_min, λ_max and condition number λ_max / λ_min of the full kernel K (null when λ_min <= 0). */
    public record Spectrum(double lambdaMin, double lambdaMax, Double conditionNumber) {
        static Spectrum of(KernelSpectrum s) {
            return new Spectrum(s.lambdaMin(), s.lambdaMax(),
                    Double.isFinite(s.conditionNumber()) ? s.conditionNumber() : null);
        }
    }

    /**
     * What the numbers were computed with: the same spec and seed with the same software give the
     * same numbers. {@code elementwise} names the element-wise kernels' code path: "vector-512",
     * "vector-256" (SIMD over the Vector API, at that vector width) or "scalar" (results differ
     * between paths by a few ulp per element-wise operation).
     */
    public record Reproducibility(long seed, String dtype, String softwareVersion, String nd4jVersion,
            int nd4jThreads, int blasThreads, String javaVersion, String instance, String elementwise) {
    }

    /**
     * Where {@code durationSeconds} went (SCIENCE.md has no formula for it: wall time, seconds).
     *
     * @param phases        exclusive seconds per phase, keyed by {@link Phase#key()} in the enum's order
     *                      ({@code setup}, {@code training}, {@code kernelRecords}, {@code hessian},
     *                      {@code linearization}, {@code exports}, and any phase added later); a phase that did
     *                      not run is absent. They sum to {@code durationSeconds} within 5%.
     * @param hessianProbes each Lanczos run: the step it measured, the probe (index, output) and its seconds
     */
    public record Timings(Map<String, Double> phases, List<org.ntklab.core.experiment.Timings.ProbeTime> hessianProbes) {
        public Timings {
            phases = phases == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phases));
            hessianProbes = hessianProbes == null ? List.of() : List.copyOf(hessianProbes);
        }

        static Timings of(org.ntklab.core.experiment.Timings t) {
            Map<String, Double> phases = new LinkedHashMap<>();
            for (Phase phase : Phase.values()) {
                if (t.phases().containsKey(phase)) {
                    phases.put(phase.key(), t.seconds(phase));
                }
            }
            return new Timings(phases, t.hessianProbes());
        }
    }

    public static ExperimentReport of(ExperimentResult r, Reproducibility reproducibility) {
        return new ExperimentReport(r.kernelChange(), r.kernelNormInit(), r.hessianInit(), r.hessianEnd(),
                r.initialLoss(), r.finalLoss(), r.weightChangeL2(), r.weightChangeLinf(), r.linearizationError(),
                r.steps(), r.reachedLossTarget(), r.parameterCount(), r.durationSeconds(), r.learningRate(),
                Spectrum.of(r.kernelSpectrumInit()), Spectrum.of(r.kernelSpectrumEnd()), r.trajectory(), r.notes(),
                reproducibility, r.timings() == null ? null : Timings.of(r.timings()));
    }
}
