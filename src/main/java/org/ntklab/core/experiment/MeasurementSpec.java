package org.ntklab.core.experiment;

import java.util.List;
import java.util.Objects;
import org.ntklab.core.spectral.LanczosOptions;

/**
 * What an experiment measures besides the loss (SCIENCE.md).
 *
 * @param kernelEvery        record K(w_t), dK(t) and the weight change every this many steps (and at 0 and the end)
 * @param probes             Hessian probes (input index, output index)
 * @param hessianAt          when ||H|| is measured
 * @param lanczos            Lanczos settings for ||H||
 * @param linearizationError whether to measure max_i ||f(w_t; x_i) - f_lin(w_t; x_i)|| at each record
 * @param hessianBlocks      whether each probe also reports its layer blocks' norms (Lanczos with {@code lanczos})
 * @param traceSamples       Hutchinson samples R per probe (seeded from {@code lanczos.seed()}), 0 for none
 * @param density            the spectral density per probe, or null for none
 * @param lossHessian        whether to report the training loss's Hessian at init and at the end
 * @param infiniteWidthKernel whether to measure the distance to the infinite-width kernel at init and at the end
 */
public record MeasurementSpec(int kernelEvery, List<HessianProbe> probes, HessianSchedule hessianAt,
        LanczosOptions lanczos, boolean linearizationError, boolean hessianBlocks, int traceSamples,
        DensitySpec density, boolean lossHessian, boolean infiniteWidthKernel) {

    /** Without the Hessian's structure, the loss Hessian or the infinite-width kernel. */
    public MeasurementSpec(int kernelEvery, List<HessianProbe> probes, HessianSchedule hessianAt,
            LanczosOptions lanczos, boolean linearizationError) {
        this(kernelEvery, probes, hessianAt, lanczos, linearizationError, false, 0, null, false, false);
    }

    /** Without the Hessian's structure or the loss Hessian. */
    public MeasurementSpec(int kernelEvery, List<HessianProbe> probes, HessianSchedule hessianAt,
            LanczosOptions lanczos, boolean linearizationError, boolean infiniteWidthKernel) {
        this(kernelEvery, probes, hessianAt, lanczos, linearizationError, false, 0, null, false, infiniteWidthKernel);
    }
    public MeasurementSpec {
        if (traceSamples != 0 && traceSamples < 2) {
            throw new IllegalArgumentException("traceSamples must be 0 or >= 2, got " + traceSamples);
        }
        if (kernelEvery < 1) {
            throw new IllegalArgumentException("kernelEvery must be >= 1, got " + kernelEvery);
        }
        probes = List.copyOf(probes);
        Objects.requireNonNull(hessianAt, "hessianAt");
        Objects.requireNonNull(lanczos, "lanczos");
    }

    /** A copy with the Hessian's structure and the loss Hessian as given. */
    public MeasurementSpec withStructure(boolean blocks, int samples, DensitySpec densitySpec, boolean loss) {
        return new MeasurementSpec(kernelEvery, probes, hessianAt, lanczos, linearizationError, blocks, samples,
                densitySpec, loss, infiniteWidthKernel);
    }

    /** The default probes: the first min(4, n) training inputs, output 0. */
    public static List<HessianProbe> defaultProbes(int n) {
        return java.util.stream.IntStream.range(0, Math.min(4, n)).mapToObj(i -> new HessianProbe(i, 0)).toList();
    }
}
