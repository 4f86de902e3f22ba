package org.ntklab.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.ntklab.core.data.DataArrays;
import org.ntklab.core.experiment.ExperimentSpec;
import tools.jackson.databind.json.JsonMapper;

/** The dataset form of {@code data}: JSON, defaults, validation, sizing and conversion through a resolver. */
class ExperimentSpecificationDatasetTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final UUID ID = UUID.fromString("11111111-2222-3333-4444-555555555555");
    /** n = 5, d = 2, c = 3: X[i] = (i, 10), Y[i] = (i, -i, 2i). */
    private static final DataArrays ARRAYS = new DataArrays(5, 2, 3,
            new double[] {0, 10, 1, 10, 2, 10, 3, 10, 4, 10},
            new double[] {0, 0, 0, 1, -1, 2, 2, -2, 4, 3, -3, 6, 4, -4, 8});

    private static final DatasetResolver ONE = new DatasetResolver() {
        @Override
        public Optional<Shape> shape(UUID id) {
            return id.equals(ID) ? Optional.of(new Shape(5, 2, 3)) : Optional.empty();
        }

        @Override
        public Optional<DataArrays> arrays(UUID id) {
            return id.equals(ID) ? Optional.of(ARRAYS) : Optional.empty();
        }
    };

    private static ExperimentSpecification read(String singleQuoted) {
        return MAPPER.readValue(singleQuoted.replace('\'', '"').replace("ID", ID.toString()),
                ExperimentSpecification.class);
    }

    @Test
    void defaultsComeFromTheDatasetAndTheJsonRoundTrips() {
        ExperimentSpecification s = read("{'data': {'dataset': 'ID', 'subset': {'n': 4}}}").withDefaults(ONE);
        assertThat(s.network().outputDim()).isEqualTo(3);
        assertThat(s.measurements().hessianProbes()).hasSize(4);
        assertThat(s.data()).isEqualTo(DataSpec.stored(ID, new DataSubset(4, 0L), false));
        String json = MAPPER.writeValueAsString(s);
        assertThat(json).contains("\"dataset\":\"" + ID + "\"").doesNotContain("generator");
        assertThat(MAPPER.readValue(json, ExperimentSpecification.class)).isEqualTo(s);
        assertThat(s.withDefaults(ONE)).isEqualTo(s);
        assertThat(s.validate(Limits.unbounded(), ONE)).isEmpty();
    }

    @Test
    void rulesOnTheDatasetForm() {
        assertThat(fields("{'data': {'dataset': '00000000-0000-0000-0000-000000000000'}}")).contains("data.dataset");
        assertThat(fields("{'data': {'dataset': 'ID'}}", DatasetResolver.NONE)).contains("data.dataset");
        assertThat(fields("{'data': {'dataset': 'ID', 'subset': {'n': 6}}}")).containsExactly("data.subset.n");
        assertThat(fields("{'data': {'dataset': 'ID', 'subset': {'seed': 1}}}")).contains("data.subset.n");
        assertThat(fields("{'data': {'dataset': 'ID'}, 'network': {'outputDim': 2}}")).containsExactly("network.outputDim");
        assertThat(fields("{'data': {'dataset': 'ID', 'generator': 'sphere'}}")).containsExactly("data");
        assertThat(fields("{'data': {'dataset': 'ID', 'x': [[1]], 'y': [[1]]}}")).contains("data");
        assertThat(fields("{'data': {'subset': {'n': 2}}}")).containsExactly("data.subset");
        assertThat(fields("{'data': {'x': [[1]], 'y': [[1]], 'standardize': true}}")).containsExactly("data.standardize");
        assertThat(fields("{'data': {'dataset': 'ID', 'subset': {'n': 2}}, 'measurements': {'hessianProbes': [{'index': 2}]}}"))
                .containsExactly("measurements.hessianProbes[0].index");
    }

    @Test
    void theMemoryEstimateUsesTheSubsetsNAndTheDatasetsD() {
        long small = read("{'data': {'dataset': 'ID', 'subset': {'n': 2}}, 'measurements': {'hessianProbes': []}}")
                .memoryEstimate(ONE).total();
        long all = read("{'data': {'dataset': 'ID'}, 'measurements': {'hessianProbes': []}}").memoryEstimate(ONE).total();
        assertThat(small).isLessThan(all);
        assertThatThrownBy(() -> read("{'data': {'dataset': 'ID'}}").memoryEstimate())
                .isInstanceOf(InvalidSpecificationException.class).hasMessageContaining("data.dataset");
    }

    @Test
    void toCoreReadsTheArraysThenSubsetsThenStandardizes() {
        ExperimentSpec all = read("{'data': {'dataset': 'ID'}}").toCore(ONE);
        assertThat(all.data().x().getDouble(3, 0)).isEqualTo(3.0);
        assertThat(all.data().y().getDouble(4, 2)).isEqualTo(8.0);
        assertThat(all.architecture().inputDim()).isEqualTo(2);
        ExperimentSpec both = read("{'data': {'dataset': 'ID', 'subset': {'n': 5, 'seed': 9}, 'standardize': true}}")
                .toCore(ONE);
        // the full permutation keeps every row: column 0 standardised is (i - 2) / sqrt(2) in some order, column 1 is 0
        double[] col0 = both.data().x().getColumn(0).toDoubleVector();
        java.util.Arrays.sort(col0);
        double r = Math.sqrt(2);
        assertThat(col0).containsExactly(new double[] {-2 / r, -1 / r, 0, 1 / r, 2 / r},
                org.assertj.core.data.Offset.offset(1e-15));
        assertThat(both.data().x().getColumn(1).toDoubleVector()).containsOnly(0.0);
        for (int i = 0; i < 5; i++) {
            double row = both.data().x().getDouble(i, 0) * r + 2;
            assertThat(both.data().y().getDouble(i, 0)).isCloseTo(row, org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThatThrownBy(() -> read("{'data': {'dataset': 'ID'}}").toCore()).isInstanceOf(InvalidSpecificationException.class);
    }

    private static List<String> fields(String json) {
        return fields(json, ONE);
    }

    private static List<String> fields(String json, DatasetResolver resolver) {
        return read(json).validate(Limits.unbounded(), resolver).stream().map(Violation::field).toList();
    }

}
