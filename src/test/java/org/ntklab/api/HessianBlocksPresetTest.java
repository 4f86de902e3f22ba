package org.ntklab.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.ntklab.support.Http;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The preset hessian-blocks at quick scale end to end: the slope of every Hessian block's norm
 * against m (SCIENCE.md, "Hessian structure"; the paper's proof bounds ||H|| by these blocks).
 */
@Tag("slow")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ntklab.poll=100ms", "ntklab.heartbeat=500ms", "ntklab.workers=1"})
class HessianBlocksPresetTest {

    /**
     * "About -1/2": the fitted slopes over m = 64..512 (2 seeds, 2 probes) scatter by about 0.05
     * (their 95% intervals are +-0.05 to +-0.1), so -1/2 +- 0.15.
     */
    private static final double HALF_BAND = 0.15;
    /**
     * A diagonal block of a hidden layer holds max_i |v_i sigma''(z_i)| over m units: its norm
     * goes like sqrt(log m / m), whose local slope over 64..512 is about -0.4, and an extreme value
     * scatters more; its slope must still be clearly negative.
     */
    private static final double DIAGONAL_UPPER = -0.15;
    /** "Does not shrink": a slope above this (m^(-1/2) would be -0.5; the intervals reach about +-0.2). */
    private static final double FLAT_LOWER = -0.25;

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://localhost:" + port);
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @Test
    void everyBlockShrinksWithALinearOutputAndTheSwishOutputAndTheBottleneckShowWhichDoNot() {
        var r = http.post("/api/v1/sweeps", "{\"preset\": \"hessian-blocks\", \"scale\": \"quick\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        JsonNode sweep = http.awaitTerminal(r.header("Location"), Duration.ofMinutes(20));
        assertThat(sweep.get("status").asString()).as(sweep.toString()).isEqualTo("SUCCEEDED");
        Map<String, JsonNode> fits = new LinkedHashMap<>();
        for (JsonNode fit : sweep.get("fits")) {
            fits.put(fit.get("group").get("network.outputMap").asString() + fit.get("group").get("network.hiddenWidths")
                    .asString(), fit);
        }
        StringBuilder seen = new StringBuilder();
        fits.forEach((group, fit) -> {
            seen.append(group).append(':');
            fit.get("blockNorms").properties().forEach(e -> seen.append(' ').append(e.getKey()).append('=')
                    .append(e.getValue().isNull() ? "null" : String.format("%.3f", e.getValue().get("slope").asDouble())));
            seen.append(" trace=").append(fit.get("trace").isNull() ? "null" : fit.get("trace").get("slope").asDouble())
                    .append('\n');
        });
        System.out.println("hessian-blocks slopes:\n" + seen);

        JsonNode linear = fits.get("linear[m, m, m]").get("blockNorms");
        // W4,W4 is exactly zero with a linear output: no logarithm, no fit
        assertThat(linear.has("4,4")).as(seen.toString()).isFalse();
        for (JsonNode row : sweep.get("table")) {
            if (row.get("overrides").get("network.outputMap").asString().equals("linear")) {
                assertThat(row.get("blockNormsInit").get("4,4").asDouble()).isZero();
            }
        }
        for (String block : new String[] {"1,2", "1,3", "1,4", "2,3", "2,4", "3,4"}) {
            assertThat(slope(linear.get(block))).as(block + "\n" + seen).isBetween(-0.5 - HALF_BAND, -0.5 + HALF_BAND);
        }
        for (String block : new String[] {"1,1", "2,2", "3,3"}) {
            assertThat(slope(linear.get(block))).as(block + "\n" + seen).isBetween(-0.5 - HALF_BAND, DIAGONAL_UPPER);
        }
        assertThat(fits.get("swish[m, m, m]").get("blockNorms").properties()).hasSize(10);
        fits.get("swish[m, m, m]").get("blockNorms").properties()
                .forEach(e -> assertThat(slope(e.getValue())).as(e.getKey() + "\n" + seen).isGreaterThan(FLAT_LOWER));
        JsonNode bottleneck = fits.get("linear[m, 5, m]").get("blockNorms");
        for (String block : new String[] {"1,1", "1,2", "1,3", "1,4", "2,2", "2,3", "2,4"}) {
            assertThat(slope(bottleneck.get(block))).as(block + "\n" + seen).isGreaterThan(FLAT_LOWER);
        }
        assertThat(slope(bottleneck.get("3,4"))).as("3,4\n" + seen).isBetween(-0.5 - HALF_BAND, -0.5 + HALF_BAND);
        assertThat(fits.get("linear[m, m, m]").get("trace").get("points")).hasSize(8);
        Http.Response heatMaps = http.get(r.header("Location") + "/blocks.svg");
        assertThat(heatMaps.status()).isEqualTo(200);
        assertThat(heatMaps.text()).contains("<svg", "m=64", "m=512", "outputMap=swish");
    }

    private static double slope(JsonNode fit) {
        assertThat(fit).isNotNull();
        assertThat(fit.isNull()).isFalse();
        return fit.get("slope").asDouble();
    }
}
