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
 * The paper's claim for convolutional and residual networks (Appendix H), end to end through the
 * cnn-width and resnet-width presets at quick scale: the slope of log ||H(w0)|| against log C is
 * about -1/2 with a linear output and about 0 with a swish output. ||H(w0)|| does not depend on
 * training, so the presets run with 2 steps instead of 100 to keep the suite short; widths, seeds,
 * probes and Lanczos settings are the quick scale's.
 */
@Tag("slow")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ntklab.poll=100ms", "ntklab.heartbeat=500ms", "ntklab.workers=1"})
class ConvPresetsTest {

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

    private Map<String, JsonNode> fits(String preset) {
        var r = http.post("/api/v1/sweeps", """
                {"preset": "%s", "scale": "quick",
                 "base": {"training": {"steps": 2}, "measurements": {"kernelEvery": 1}}}
                """.formatted(preset));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        JsonNode sweep = http.awaitTerminal(r.header("Location"), Duration.ofMinutes(10));
        assertThat(sweep.get("status").asString()).as(sweep.toString()).isEqualTo("SUCCEEDED");
        Map<String, JsonNode> fits = new HashMap<>();
        for (JsonNode fit : sweep.get("fits")) {
            fits.put(fit.get("group").get("network.outputMap").asString(), fit);
        }
        return fits;
    }

    private static void assertSlopes(Map<String, JsonNode> fits) {
        JsonNode linear = fits.get("linear");
        JsonNode swish = fits.get("swish");
        assertThat(linear.get("hessianInit").get("slope").asDouble()).as(linear.toString()).isBetween(-0.6, -0.4);
        assertThat(swish.get("hessianInit").get("slope").asDouble()).as(swish.toString()).isBetween(-0.15, 0.15);
        assertThat(linear.get("kernelChange").get("slope").asDouble()).as(linear.toString()).isNegative();
        assertThat(linear.get("hessianInit").get("slopeLower").asDouble())
                .isLessThan(linear.get("hessianInit").get("slopeUpper").asDouble());
    }

    @Test
    void cnnHessianScalesAsInverseSquareRootOfTheChannelsOnlyWithALinearOutput() {
        assertSlopes(fits("cnn-width"));
    }

    @Test
    void resnetHessianScalesAsInverseSquareRootOfTheChannelsOnlyWithALinearOutput() {
        assertSlopes(fits("resnet-width"));
    }
}
