package org.ntklab.jobs.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.ntklab.core.experiment.HessianProbe;

/**
 * One entry of {@code measurements.hessianProbes}: the model Hessian H_k(w; x_i) of training input
 * i = {@code index} and output k = {@code output}. Written {@code {"index": i, "output": k}}, or as
 * the bare index {@code i}, shorthand for {@code {"index": i}} (output 0). Always written back as
 * the object.
 *
 * @param index  i, required, in [0, n)
 * @param output k in [0, c); default 0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeSpec(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Integer index, Integer output) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public ProbeSpec {
    }

    /** The shorthand: a bare JSON integer i is the probe {@code {"index": i}}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ProbeSpec ofIndex(int index) {
        return new ProbeSpec(index, null);
    }

    /** A copy with the output defaulted to 0. */
    public ProbeSpec withDefaults() {
        return new ProbeSpec(index, output == null ? 0 : output);
    }

    /** The core probe of a defaulted, valid probe. */
    public HessianProbe toCore() {
        return new HessianProbe(index, output);
    }
}
