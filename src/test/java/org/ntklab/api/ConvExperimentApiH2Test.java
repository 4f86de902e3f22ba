package org.ntklab.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.data.npy.NpyArray;
import org.ntklab.core.data.npy.NpzReader;
import org.ntklab.support.Http;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** A CNN and a ResNet experiment end to end through the API on H2: result, exports, plot, problems (400 with field paths, as for an MLP spec). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ntklab.poll=100ms", "ntklab.heartbeat=500ms", "ntklab.lease=10s", "ntklab.workers=1"})
class ConvExperimentApiH2Test {

    static final Duration WAIT = Duration.ofSeconds(180);

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
        Http.Response r = http.post("/api/v1/experiments", body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        JsonNode job = http.awaitTerminal(r.header("Location"), WAIT);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        return job;
    }

    private Map<String, NpyArray> npz(String location, String name) throws Exception {
        Http.Response r = http.get(location + "/artifacts/" + name);
        assertThat(r.status()).isEqualTo(200);
        return NpzReader.read(new ByteArrayInputStream(r.body()));
    }

    @Test
    void aCnnRunsWithResultsExportsAndAPlot() throws Exception {
        JsonNode job = run("""
                {"name": "cnn", "seed": 2,
                 "network": {"architecture": "cnn", "channels": [6, 4], "kernelSize": 3, "stride": 2, "padding": "same",
                             "pooling": "flatten", "outputMap": "swish"},
                 "data": {"generator": "images", "n": 6, "imageShape": [2, 6, 6]},
                 "training": {"learningRate": {"auto": 0.5}, "steps": 10},
                 "measurements": {"kernelEvery": 5, "lanczosMaxIter": 30}}
                """);
        String location = "/api/v1/experiments/" + job.get("id").asString();
        JsonNode spec = job.get("spec");
        assertThat(spec.get("network").get("architecture").asString()).isEqualTo("cnn");
        JsonNode result = job.get("result");
        // conv 2->6 (3x3, stride 2: 6x6 -> 3x3), conv 6->4 (3x3 -> 2x2), flatten 16, dense 16 -> 1
        assertThat(result.get("parameterCount").asLong()).isEqualTo(6 * 2 * 9 + 4 * 6 * 9 + 16);
        assertThat(result.get("steps").asInt()).isEqualTo(10);
        assertThat(result.get("kernelChange").asDouble()).isPositive();
        assertThat(result.get("hessianInit").get("probes")).hasSize(4);
        assertThat(result.get("hessianEnd").get("max").asDouble()).isPositive();
        assertThat(result.get("trajectory")).hasSize(3);

        Map<String, NpyArray> initial = npz(location, "initial.npz");
        assertThat(initial.keySet()).containsExactly("X", "Y", "W1", "W2", "W3");
        assertThat(initial.get("X").shape()).containsExactly(6, 2, 6, 6);
        assertThat(initial.get("W1").shape()).containsExactly(6, 2, 3, 3);
        assertThat(initial.get("W2").shape()).containsExactly(4, 6, 3, 3);
        assertThat(initial.get("W3").shape()).containsExactly(1, 16);
        INDArray k0 = npz(location, "kernels.npz").get("K0").toINDArray();
        assertThat(k0.shape()).containsExactly(6, 6);
        assertThat(k0.norm2Number().doubleValue())
                .isCloseTo(result.get("kernelNormInit").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(http.get(location + "/artifacts/trajectory.csv").text().lines().count()).isEqualTo(1 + 3);
        Http.Response plot = http.get(location + "/plot.svg");
        assertThat(plot.status()).isEqualTo(200);
        assertThat(plot.text()).contains("<svg");
    }

    @Test
    void aResnetRunsOnSuppliedImages() throws Exception {
        StringBuilder images = new StringBuilder("[");
        StringBuilder y = new StringBuilder("[");
        for (int i = 0; i < 4; i++) {
            images.append(i > 0 ? "," : "").append("[");
            for (int c = 0; c < 2; c++) {
                images.append(c > 0 ? "," : "").append("[");
                for (int r = 0; r < 4; r++) {
                    images.append(r > 0 ? "," : "").append("[");
                    for (int s = 0; s < 4; s++) {
                        images.append(s > 0 ? "," : "").append(Math.sin(i + 0.7 * c + 0.3 * r - 0.2 * s));
                    }
                    images.append("]");
                }
                images.append("]");
            }
            images.append("]");
            y.append(i > 0 ? "," : "").append("[").append(0.1 * i).append("]");
        }
        images.append("]");
        y.append("]");
        JsonNode job = run("""
                {"name": "resnet", "seed": 5,
                 "network": {"architecture": "resnet", "channels": [5], "blocks": 2, "activation": "swish"},
                 "data": {"images": %s, "y": %s},
                 "training": {"learningRate": {"auto": 0.5}, "steps": 6},
                 "measurements": {"kernelEvery": 3, "lanczosMaxIter": 30}}
                """.formatted(images, y));
        String location = "/api/v1/experiments/" + job.get("id").asString();
        assertThat(job.get("spec").get("network").get("residualScale").asDouble()).isEqualTo(1 / Math.sqrt(2));
        JsonNode result = job.get("result");
        assertThat(result.get("parameterCount").asLong()).isEqualTo(5 * 2 * 9 + 2 * 2 * 5 * 5 * 9 + 5);
        assertThat(result.get("hessianInit").get("max").asDouble()).isPositive();
        Map<String, NpyArray> initial = npz(location, "initial.npz");
        assertThat(initial.keySet()).containsExactly("X", "Y", "W1", "W2", "W3", "W4", "W5", "W6");
        assertThat(initial.get("X").shape()).containsExactly(4, 2, 4, 4);
        assertThat(initial.get("X").toINDArray().getDouble(3, 1, 2, 1)).isEqualTo(Math.sin(3 + 0.7 + 0.6 - 0.2));
        assertThat(initial.get("W3").shape()).containsExactly(5, 5, 3, 3);
        assertThat(http.get(location + "/plot.svg").status()).isEqualTo(200);
    }

    @Test
    void badConvSpecsGetFieldProblems() {
        Http.Response r = http.post("/api/v1/experiments", """
                {"network": {"architecture": "resnet", "channels": [4, 8], "kernelSize": 2},
                 "data": {"generator": "images", "imageShape": [3, 8, 0]}}
                """);
        assertThat(r.status()).as(r.text()).isEqualTo(400); // as for an MLP spec
        assertThat(r.text()).contains("network.channels", "network.kernelSize", "data.imageShape[2]");
        Http.Response unknown = http.post("/api/v1/experiments", """
                {"network": {"architecture": "transformer"}}
                """);
        assertThat(unknown.status()).as(unknown.text()).isEqualTo(400);
        Http.Response huge = http.post("/api/v1/experiments", """
                {"network": {"architecture": "cnn", "channels": [60000, 60000]}, "data": {"generator": "images"}}
                """);
        assertThat(huge.status()).as(huge.text()).isEqualTo(400);
        assertThat(huge.text()).contains("network.channels");
    }
}
