package org.ntklab.core.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PowerLawFitTest {

    @Test
    void anExactPowerLawHasItsExponentAndAZeroWidthInterval() {
        double[] m = {30, 100, 1000, 10000};
        double[] h = new double[4];
        for (int i = 0; i < 4; i++) {
            h[i] = 3.0 * Math.pow(m[i], -0.5);
        }
        PowerLawFit fit = PowerLawFit.of(m, h);
        assertThat(fit.slope()).isCloseTo(-0.5, within(1e-14));
        assertThat(fit.intercept()).isCloseTo(Math.log(3.0), within(1e-13));
        assertThat(fit.slopeUpper() - fit.slopeLower()).isLessThan(1e-12);
        assertThat(fit.points()).allSatisfy(p -> assertThat(p.residual()).isCloseTo(0.0, within(1e-13)));
    }

    @Test
    void handComputedLineWithStudentTInterval() {
        // log x = 0, 1, 2 (x = 1, e, e^2) and log y = 0, 1, 3: s = 1.5, a = -1/6,
        // residuals 1/6, -1/3, 1/6, SSE = 1/6, SE = sqrt((1/6) / 1 / 2) = 0.288675..., t_{0.975,1} = 12.7062047.
        double e = Math.E;
        PowerLawFit fit = PowerLawFit.of(new double[] {1, e, e * e}, new double[] {1, e, Math.pow(e, 3)});
        assertThat(fit.slope()).isCloseTo(1.5, within(1e-14));
        assertThat(fit.intercept()).isCloseTo(-1.0 / 6, within(1e-14));
        assertThat(fit.standardError()).isCloseTo(Math.sqrt(1.0 / 12), within(1e-14));
        assertThat(fit.slopeUpper()).isCloseTo(1.5 + 12.706204736174698 * Math.sqrt(1.0 / 12), within(1e-9));
        assertThat(fit.slopeLower()).isCloseTo(1.5 - 12.706204736174698 * Math.sqrt(1.0 / 12), within(1e-9));
    }

    @Test
    void zerosAreExcludedAndTwoPointsHaveNoInterval() {
        PowerLawFit fit = PowerLawFit.of(new double[] {10, 100, 1000}, new double[] {1.0, 0.0, 0.1});
        assertThat(fit.excluded()).isEqualTo(1);
        assertThat(fit.slope()).isCloseTo(-0.5, within(1e-14));
        assertThat(fit.slopeLower()).isNull();
        assertThat(fit.points()).hasSize(2);
    }

    @Test
    void degenerateInputsAreRejected() {
        assertThatThrownBy(() -> PowerLawFit.of(new double[] {10, 10}, new double[] {1, 2}))
                .hasMessageContaining("distinct");
        assertThatThrownBy(() -> PowerLawFit.of(new double[] {10}, new double[] {1})).hasMessageContaining("two points");
    }
}
