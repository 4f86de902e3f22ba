package org.ntklab.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntklab.support.Http;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Sweeps end to end over HTTP: expansion, state, table, fits, plots, cancellation, presets, refusals. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ntklab.poll=100ms", "ntklab.heartbeat=500ms", "ntklab.workers=1", "ntklab.max-grid=40"})
abstract class SweepApiContract {

    static final Duration WAIT = Duration.ofSeconds(300);

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://localhost:" + port);
    }

    private static final String SWEEP = """
            {"name": "widths", "tags": {"suite": "sweep"},
             "base": {"data": {"n": 8, "inputDim": 3}, "training": {"steps": 10},
                      "measurements": {"kernelEvery": 5, "hessianAt": "init", "hessianProbes": [{"index": 0}, {"index": 1}]}},
             "grid": {"network.hiddenWidths": [[16], [64], [256]], "network.outputMap": ["linear", "swish"]}}
            """;

    @Test
    void aSweepRunsItsChildrenAndFitsEachGroup() {
        Http.Response submitted = http.post("/api/v1/sweeps", SWEEP);
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String location = submitted.header("Location");
        assertThat(location).startsWith("/api/v1/sweeps/");
        assertThat(submitted.json().get("children")).hasSize(6);
        JsonNode sweep = awaitSweep(location);
        assertThat(sweep.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(sweep.get("counts").get("SUCCEEDED").asInt()).isEqualTo(6);
        JsonNode table = sweep.get("table");
        assertThat(table).hasSize(6);
        assertThat(table.get(0).get("overrides").get("network.outputMap").asString()).isEqualTo("linear");
        assertThat(table.get(1).get("width").asInt()).isEqualTo(16);
        assertThat(table.get(2).get("width").asInt()).isEqualTo(64);
        assertThat(table.get(0).get("hessianInit").asDouble()).isPositive();
        JsonNode fits = sweep.get("fits");
        assertThat(fits).hasSize(2);
        assertThat(fits.get(0).get("group").get("network.outputMap").asString()).isEqualTo("linear");
        assertThat(fits.get(0).get("widths")).hasSize(3);
        assertThat(fits.get(0).get("hessianInit").get("points")).hasSize(3);
        assertThat(fits.get(0).get("hessianInit").has("slopeLower")).isTrue();

        JsonNode child = http.get("/api/v1/experiments/" + sweep.get("children").get(0).asString()).json();
        assertThat(child.get("tags").get("sweep").asString()).isEqualTo(sweep.get("id").asString());
        assertThat(child.get("tags").get("suite").asString()).isEqualTo("sweep");

        String csv = http.get(location + "/table.csv").text();
        assertThat(csv.lines().count()).isEqualTo(7);
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("index,id,status,network.hiddenWidths,network.outputMap,width");

        Http.Response plot = http.get(location + "/plot.svg?x=width&y=hessianInit");
        assertThat(plot.status()).isEqualTo(200);
        assertThat(plot.header("Content-Type")).contains("image/svg+xml");
        assertThat(plot.text()).contains("<svg").contains("width m").contains("slope");
        assertThat(http.get(location + "/plot.svg?x=step&y=kernelChange").text()).contains("<svg").contains("step t");
        assertThat(http.get(location + "/plot.svg?y=bogus").status()).isEqualTo(400);
        Http.Response experimentPlot = http.get("/api/v1/experiments/" + sweep.get("children").get(0).asString() + "/plot.svg");
        assertThat(experimentPlot.text()).contains("<svg").contains("dK(t)");

        JsonNode listing = http.get("/api/v1/sweeps?size=50").json();
        assertThat(listing.get("items").toString()).contains(sweep.get("id").asString());
    }

    @Test
    void invalidSweepsAreRefusedWithEveryChildsProblem() {
        Http.Response bad = http.post("/api/v1/sweeps", """
                {"grid": {"network.hiddenWidths": [[10], [0]], "seed": [1, 2]}}
                """);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors")).hasSize(2);
        assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("children[2].network.hiddenWidths[0]");
        assertThat(bad.json().get("errors").get(0).get("message").asString()).contains("seed=1");

        Http.Response tooBig = http.post("/api/v1/sweeps", "{\"grid\": {\"seed\": [" + "1,".repeat(40) + "1]}}");
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.json().get("detail").asString()).contains("at most 40");
        assertThat(tooBig.json().get("errors").get(0).get("limit").asString()).isEqualTo("ntklab.max-grid");

        Http.Response unknownPath = http.post("/api/v1/sweeps", "{\"grid\": {\"network.hiddenWidht\": [[10]]}}");
        assertThat(unknownPath.status()).isEqualTo(400);
        assertThat(unknownPath.json().get("errors").get(0).get("message").asString()).contains("hiddenWidht");

        Http.Response preset = http.post("/api/v1/sweeps", "{\"preset\": \"figure-9\"}");
        assertThat(preset.status()).isEqualTo(400);
        assertThat(preset.json().get("errors").get(0).get("message").asString()).contains("figure-1-left");

        Http.Response overBudget = http.post("/api/v1/sweeps", """
                {"base": {"data": {"n": 2000, "inputDim": 10}, "network": {"outputDim": 10}}, "grid": {"seed": [1]}}
                """);
        assertThat(overBudget.status()).isEqualTo(422);
        assertThat(overBudget.json().get("index").asInt()).isZero();
        assertThat(http.get("/api/v1/sweeps/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
    }

    @Test
    void cancellingASweepCancelsItsUnfinishedChildren() {
        Http.Response submitted = http.post("/api/v1/sweeps", """
                {"base": {"training": {"steps": 50000}, "measurements": {"hessianProbes": [], "kernelEvery": 1000}},
                 "grid": {"seed": [1, 2, 3]}}
                """);
        assertThat(submitted.status()).isEqualTo(202);
        String location = submitted.header("Location");
        assertThat(http.post(location + "/cancel", "").status()).isEqualTo(202);
        JsonNode sweep = awaitSweep(location);
        assertThat(sweep.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(sweep.get("counts").get("CANCELLED").asInt()).isEqualTo(3);
    }

    @Test
    void presetsAreListedWithBothScales() {
        JsonNode presets = http.get("/api/v1/presets").json();
        assertThat(presets).hasSize(8);
        assertThat(presets.findValuesAsString("name")).contains("ntk-convergence", "hessian-blocks");
        assertThat(presets.get(0).get("name").asString()).isEqualTo("figure-1-left");
        assertThat(presets.get(0).get("reproduces").asString()).contains("Figure 1");
        assertThat(presets.get(0).get("quick").get("grid").get("network.hiddenWidths")).hasSize(5);
        assertThat(presets.get(0).get("paper").get("grid").get("network.hiddenWidths").toString()).contains("1000000");
    }

    JsonNode awaitSweep(String location) {
        return http.awaitTerminal(location, WAIT);
    }
}
