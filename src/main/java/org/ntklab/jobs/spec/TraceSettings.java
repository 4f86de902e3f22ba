package org.ntklab.jobs.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code measurements.hessianTrace}: Hutchinson's estimate of tr(H) per probe (SCIENCE.md,
 * "Hessian structure"), Rademacher vectors seeded from the experiment seed.
 *
 * @param samples R in [2, {@value #MAX_SAMPLES}]; default {@value #DEFAULT_SAMPLES}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TraceSettings(Integer samples) {

    public static final int DEFAULT_SAMPLES = 100;
    /** Each sample is one Hessian-vector product per probe and measurement point. */
    public static final int MAX_SAMPLES = 10_000;

    public TraceSettings withDefaults() {
        return new TraceSettings(samples == null ? DEFAULT_SAMPLES : samples);
    }

    void validate(List<Violation> violations) {
        if (samples < 2 || samples > MAX_SAMPLES) {
            violations.add(new Violation("measurements.hessianTrace.samples", "must be in [2, " + MAX_SAMPLES
                    + "], got " + samples));
        }
    }
}
