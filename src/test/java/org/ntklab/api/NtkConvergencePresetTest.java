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
 * SCIENCE.md's claim about the infinite-width kernel, end to end through the ntk-convergence
 * preset at quick scale: the distance of K(w_0) to Theta_inf falls like m^(-1/2) for relu, erf and
 * tanh. The distance at init does not depend on training, so the preset runs with 1 step instead
 * of 100 to keep the suite short; widths, seeds and activations are the quick scale's.
 */
@Tag("slow")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ntklab.poll=100ms", "ntklab.heartbeat=500ms", "ntklab.workers=1"})
class NtkConvergencePresetTest {

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
    void theDistanceToTheInfiniteWidthKernelFallsLikeTheInverseSquareRootOfWidth() {
        var r = http.post("/api/v1/sweeps", """
                {"preset": "ntk-convergence", "scale": "quick",
                 "base": {"training": {"steps": 1}, "measurements": {"kernelEvery": 1}}}
                """);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        JsonNode sweep = http.awaitTerminal(r.header("Location"), Duration.ofMinutes(10));
        assertThat(sweep.get("status").asString()).as(sweep.toString()).isEqualTo("SUCCEEDED");
        Map<String, JsonNode> fits = new HashMap<>();
        for (JsonNode fit : sweep.get("fits")) {
            fits.put(fit.get("group").get("network.activation").asString(), fit.get("infiniteWidthDistanceInit"));
        }
        assertThat(fits.keySet()).containsExactlyInAnyOrder("relu", "erf", "tanh");
        for (Map.Entry<String, JsonNode> fit : fits.entrySet()) {
            assertThat(fit.getValue().get("slope").asDouble()).as(fit.toString()).isBetween(-0.6, -0.4);
            assertThat(fit.getValue().get("points")).hasSize(25);
        }
        String location = r.header("Location");
        assertThat(http.get(location + "/table.csv").text().lines().findFirst().orElseThrow())
                .endsWith(",infiniteWidthDistanceInit");
        assertThat(http.get(location + "/plot.svg?x=width&y=infiniteWidthDistanceInit").text())
                .contains("<svg").contains("slope -0.");
    }
}
