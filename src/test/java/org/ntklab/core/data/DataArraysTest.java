package org.ntklab.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class DataArraysTest {

    /** Sums of a few exact binary fractions: the statistics are exact up to one rounding of sqrt. */
    private static final double EXACT = 1e-15;

    private static final DataArrays DATA = new DataArrays(4, 2, 1,
            new double[] {1, 5, 2, 5, 3, 5, 6, 5},
            new double[] {10, 20, 30, 40});

    @Test
    void columnStatisticsByHand() {
        DataArrays.Column a = DATA.xColumns()[0];
        // values 1, 2, 3, 6: mean 3, squared deviations 4 + 1 + 0 + 9 = 14, population std sqrt(14/4)
        assertThat(a.mean()).isEqualTo(3.0);
        assertThat(a.std()).isCloseTo(Math.sqrt(3.5), org.assertj.core.data.Offset.offset(EXACT));
        assertThat(a.min()).isEqualTo(1.0);
        assertThat(a.max()).isEqualTo(6.0);
        assertThat(DATA.xColumns()[1].std()).isZero();
        assertThat(DATA.yColumns()[0].mean()).isEqualTo(25.0);
    }

    @Test
    void standardizationCentresAndScalesEachColumnAndOnlyCentresConstantOnes() {
        double[] x = DATA.standardized().x();
        double s = Math.sqrt(3.5);
        assertThat(x).containsExactly(new double[] {-2 / s, 0, -1 / s, 0, 0, 0, 3 / s, 0},
                org.assertj.core.data.Offset.offset(EXACT));
        assertThat(DATA.standardized().y()).containsExactly(DATA.y());
        assertThat(DATA.x()).containsExactly(1, 5, 2, 5, 3, 5, 6, 5);
    }

    @Test
    void aSubsetIsDeterministicDistinctRowsKeepingXAndYTogether() {
        DataArrays a = DATA.subset(3, 42);
        assertThat(DATA.subset(3, 42)).isEqualTo(a);
        assertThat(a.n()).isEqualTo(3);
        Set<Double> firsts = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            double x0 = a.x()[2 * i];
            firsts.add(x0);
            int original = x0 == 6 ? 3 : (int) x0 - 1;
            assertThat(a.y()[i]).isEqualTo(DATA.y()[original]);
        }
        assertThat(firsts).hasSize(3);
        assertThat(DATA.subset(4, 7).xColumns()[0].mean()).isEqualTo(3.0);
        assertThatThrownBy(() -> DATA.subset(5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DATA.subset(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSeededPermutationIsAPermutationAndDependsOnTheSeed() {
        int[] p = DataArrays.permutation(50, 1);
        assertThat(p).containsExactlyInAnyOrder(java.util.stream.IntStream.range(0, 50).toArray());
        assertThat(DataArrays.permutation(50, 2)).isNotEqualTo(p);
    }

    @Test
    void toDatasetKeepsTheValues() {
        Dataset d = DATA.toDataset(DataType.DOUBLE);
        assertThat(d.x().getDouble(3, 0)).isEqualTo(6.0);
        assertThat(d.y().getDouble(2, 0)).isEqualTo(30.0);
        assertThat(d.n()).isEqualTo(4);
    }
}
