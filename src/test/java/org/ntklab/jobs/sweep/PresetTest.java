package org.ntklab.jobs.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntklab.jobs.spec.ExperimentSpecification;
import org.ntklab.jobs.spec.Limits;
import org.ntklab.jobs.spec.Violation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

class PresetTest {

    private final JsonMapper json = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @ParameterizedTest
    @EnumSource(Preset.class)
    void everyChildOfEveryPresetIsAValidExperiment(Preset preset) {
        for (Scale scale : Scale.values()) {
            SweepDefinition d = preset.at(scale);
            assertThat(d.name()).isEqualTo(preset.id() + "-" + scale.value());
            assertThat(d.tags()).containsEntry("preset", preset.id());
            assertThat(preset.description()).contains("steps");
            for (SweepExpansion.Child child : SweepExpansion.expand(d)) {
                ExperimentSpecification spec = json.treeToValue(child.spec(), ExperimentSpecification.class);
                List<Violation> violations = spec.validate(Limits.defaults());
                assertThat(violations).as("%s %s child %d", preset, scale, child.index()).isEmpty();
                if (scale == Scale.QUICK) {
                    // quick presets stay far inside the default 4 GB budget
                    assertThat(spec.memoryEstimate().total()).isLessThan(1L << 30);
                }
            }
        }
    }
}
