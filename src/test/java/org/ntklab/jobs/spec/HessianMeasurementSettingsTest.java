package org.ntklab.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntklab.core.experiment.DensitySpec;
import org.ntklab.core.experiment.MeasurementSpec;

/** measurements.hessianBlocks, hessianTrace, hessianDensity and lossHessian: defaults, field errors, the core spec. */
class HessianMeasurementSettingsTest {

    private static MeasurementSettings settings(Boolean blocks, TraceSettings trace, DensitySettings density,
            Boolean loss) {
        return new MeasurementSettings(null, null, null, null, null, null, blocks, trace, density, loss, null);
    }

    private static List<Violation> violations(MeasurementSettings m) {
        List<Violation> out = new java.util.ArrayList<>();
        m.withDefaults(8).validate(Limits.defaults(), 8, 1, out);
        return out;
    }

    @Test
    void absentMeansOffAndDefaultsFillWhatWasAskedFor() {
        MeasurementSettings none = settings(null, null, null, false).withDefaults(8);
        assertThat(none.hessianBlocks()).isNull();
        assertThat(none.lossHessian()).isNull();
        MeasurementSpec off = none.toCore(1);
        assertThat(off.hessianBlocks()).isFalse();
        assertThat(off.traceSamples()).isZero();
        assertThat(off.density()).isNull();
        assertThat(off.lossHessian()).isFalse();

        MeasurementSettings all = settings(true, new TraceSettings(null), new DensitySettings(null, 7, null, null), true)
                .withDefaults(8);
        assertThat(all.hessianTrace().samples()).isEqualTo(TraceSettings.DEFAULT_SAMPLES);
        assertThat(all.hessianDensity()).isEqualTo(new DensitySettings(DensitySettings.DEFAULT_RUNS, 7,
                DensitySettings.DEFAULT_GRID_POINTS, null));
        MeasurementSpec on = all.toCore(1);
        assertThat(on.hessianBlocks()).isTrue();
        assertThat(on.traceSamples()).isEqualTo(TraceSettings.DEFAULT_SAMPLES);
        assertThat(on.density()).isEqualTo(new DensitySpec(DensitySettings.DEFAULT_RUNS, 7,
                DensitySettings.DEFAULT_GRID_POINTS, null));
        assertThat(on.lossHessian()).isTrue();
        assertThat(violations(all)).isEmpty();
    }

    @Test
    void badValuesAreFieldErrors() {
        List<Violation> v = violations(settings(null, new TraceSettings(1),
                new DensitySettings(0, 1001, 1, Double.NaN), null));
        assertThat(v).extracting(Violation::field).containsExactly("measurements.hessianTrace.samples",
                "measurements.hessianDensity.runs", "measurements.hessianDensity.steps",
                "measurements.hessianDensity.gridPoints", "measurements.hessianDensity.sigma");
        assertThat(v.get(2).limit()).isEqualTo(Limits.LANCZOS_ITERATIONS);
    }

    @Test
    void perProbeMeasurementsNeedProbes() {
        MeasurementSettings m = new MeasurementSettings(null, List.of(), null, null, null, null, true,
                new TraceSettings(4), new DensitySettings(null, null, null, null), true, null);
        assertThat(violations(m)).extracting(Violation::field).containsExactly("measurements.hessianBlocks",
                "measurements.hessianTrace", "measurements.hessianDensity");
    }

    @Test
    void theMemoryEstimateCountsTheDensitysBasisSoAdmissionCanRefuseIt() {
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        String base = "{\"network\": {\"hiddenWidths\": [3000]}, \"data\": {\"n\": 10, \"inputDim\": 10}";
        ExperimentSpecification plain = json.readValue(base + "}", ExperimentSpecification.class);
        ExperimentSpecification dense = json.readValue(base
                + ", \"measurements\": {\"hessianDensity\": {\"steps\": 1000}, \"lossHessian\": true}}",
                ExperimentSpecification.class);
        long p = 3000 * 10 + 3000;
        long basis = org.ntklab.core.spectral.Lanczos.basisBytes(p, 1000, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        assertThat(dense.memoryEstimate().krylovBasis()).isGreaterThanOrEqualTo(basis);
        assertThat(plain.memoryEstimate().krylovBasis()).isLessThan(basis);
        // the loss Hessian's second-order pass over all n inputs
        assertThat(dense.memoryEstimate().other()).isGreaterThan(plain.memoryEstimate().other());
    }
}
