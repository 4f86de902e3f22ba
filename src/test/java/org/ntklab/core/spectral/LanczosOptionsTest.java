package org.ntklab.core.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class LanczosOptionsTest {

    @Test
    void defaultsAreDocumentedValues() {
        assertThat(LanczosOptions.defaults(7)).isEqualTo(new LanczosOptions(100, 1e-6, 1L << 30, 7));
    }

    @Test
    void withersChangeOneField() {
        LanczosOptions o = LanczosOptions.defaults(7);

        assertThat(o.withMaxIterations(5).maxIterations()).isEqualTo(5);
        assertThat(o.withTolerance(1e-3).tolerance()).isEqualTo(1e-3);
        assertThat(o.withMaxBasisBytes(0).maxBasisBytes()).isZero();
        assertThat(o.withSeed(9)).isEqualTo(new LanczosOptions(100, 1e-6, 1L << 30, 9));
    }

    @Test
    void rejectsInvalidValues() {
        assertThatIllegalArgumentException().isThrownBy(() -> new LanczosOptions(0, 1e-6, 1, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new LanczosOptions(10, 0.0, 1, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new LanczosOptions(10, 1.0, 1, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new LanczosOptions(10, Double.NaN, 1, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new LanczosOptions(10, 1e-6, -1, 0));
    }
}
