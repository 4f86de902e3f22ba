package org.ntklab.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
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
 * The paper's qualitative claims, end to end through the presets at a reduced quick scale (fewer
 * widths and steps so the suite stays short): ||H(w0)|| falls like m^(-1/2) only with a linear
 * output (paper, Figure 1 and Table 1), and the kernel moves less as a bottleneck widens (Figure 2).
 */
@Tag("slow")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ntklab.poll=100ms", "ntklab.heartbeat=500ms", "ntklab.workers=1"})
class PaperPresetsTest {

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

    private JsonNode run(String body) {
        var r = http.post("/api/v1/sweeps", body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        JsonNode sweep = http.awaitTerminal(r.header("Location"), Duration.ofMinutes(10));
        assertThat(sweep.get("status").asString()).as(sweep.toString()).isEqualTo("SUCCEEDED");
        return sweep;
    }

    private static Map<String, Double> hessianSlopes(JsonNode sweep) {
        Map<String, Double> slopes = new HashMap<>();
        for (JsonNode fit : sweep.get("fits")) {
            slopes.put(fit.get("group").get("network.outputMap").asString()
                    + fit.get("group").path("network.hiddenWidths").asString(""), fit.get("hessianInit").get("slope").asDouble());
        }
        return slopes;
    }

    @Test
    void figure1LeftHessianScalesAsInverseSquareRootOnlyWithALinearOutput() {
        JsonNode sweep = run("""
                {"preset": "figure-1-left", "scale": "quick",
                 "base": {"training": {"steps": 10}, "measurements": {"hessianAt": "init", "kernelEvery": 5}},
                 "grid": {"network.hiddenWidths": [[100], [316], [1000], [3162]]}}
                """);
        Map<String, Double> slopes = hessianSlopes(sweep);
        assertThat(slopes.get("linear[m]")).isBetween(-0.6, -0.4);
        assertThat(slopes.get("swish[m]")).isBetween(-0.15, 0.15);
        assertThat(slopes.get("softmax[m]")).isBetween(-0.15, 0.15);
    }

    @Test
    void table1BottleneckKeepsTheHessianFromVanishing() {
        JsonNode sweep = run("""
                {"preset": "table-1", "scale": "quick",
                 "base": {"training": {"steps": 10}, "measurements": {"kernelEvery": 5}},
                 "grid": {"seed": [1]}}
                """);
        Map<String, Double> slopes = hessianSlopes(sweep);
        assertThat(slopes.get("linear[m]")).isBetween(-0.6, -0.4);
        assertThat(slopes.get("swish[m]")).isBetween(-0.15, 0.15);
        assertThat(slopes.get("linear[m, 5, m]")).isGreaterThan(-0.2);
    }

    @Test
    void figure2KernelChangeFallsAsTheBottleneckWidens() {
        JsonNode sweep = run("""
                {"preset": "figure-2", "scale": "quick",
                 "base": {"training": {"steps": 100}, "measurements": {"hessianProbes": []}},
                 "grid": {"network.hiddenWidths": [[1000, 3, 1000], [1000, 30, 1000], [1000, 300, 1000]]}}
                """);
        double previous = Double.POSITIVE_INFINITY;
        StringBuilder seen = new StringBuilder();
        for (JsonNode row : sweep.get("table")) {
            double dk = row.get("kernelChange").asDouble();
            seen.append(row.get("width").asInt()).append(':').append(dk).append(' ');
            assertThat(dk).as(seen.toString()).isLessThan(previous);
            previous = dk;
        }
        assertThat(sweep.get("fits").get(0).get("kernelChange").get("slope").asDouble()).isNegative();
    }
}
