package org.ntklab.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.data.npy.NpyArray;
import org.ntklab.core.data.npy.NpzReader;
import org.ntklab.support.Http;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The experiment API end to end over HTTP against a started service: submit, follow, result,
 * artifacts, cancellation, batches, idempotency, listing, events and errors. Subclasses run it
 * on H2 and on PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ntklab.poll=100ms", "ntklab.heartbeat=500ms", "ntklab.lease=10s", "ntklab.workers=1",
        "ntklab.limits.max-steps=50000"})
abstract class ExperimentApiContract {

    static final Duration WAIT = Duration.ofSeconds(120);
    static final String SMALL = """
            {"name": "small", "tags": {"suite": "api"}, "seed": 3,
             "network": {"hiddenWidths": [32], "activation": "tanh"},
             "data": {"generator": "sphere", "n": 8, "inputDim": 3},
             "training": {"learningRate": {"auto": 0.5}, "steps": 20},
             "measurements": {"kernelEvery": 5}}
            """;

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://localhost:" + port);
    }

    private String submit(String body) {
        Http.Response r = http.post("/api/v1/experiments", body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.header("Location");
    }

    @Test
    void submitFollowAndDownload() throws Exception {
        Http.Response submitted = http.post("/api/v1/experiments", SMALL);
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String location = submitted.header("Location");
        assertThat(location).matches("/api/v1/experiments/[0-9a-f-]{36}");
        assertThat(submitted.json().get("status").asString()).isIn("QUEUED", "RUNNING", "SUCCEEDED");
        JsonNode spec = submitted.json().get("spec");
        assertThat(spec.get("network").get("outputMap").asString()).isEqualTo("linear");
        assertThat(spec.get("dtype").asString()).isEqualTo("float64");

        JsonNode job = http.awaitTerminal(location, WAIT);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode result = job.get("result");
        assertThat(result.get("steps").asInt()).isEqualTo(20);
        assertThat(result.get("parameterCount").asLong()).isEqualTo(32 * 3 + 32);
        assertThat(result.get("kernelChange").asDouble()).isPositive();
        assertThat(result.get("hessianInit").get("probes")).hasSize(4);
        assertThat(result.get("hessianEnd").get("max").asDouble()).isPositive();
        assertThat(result.get("trajectory")).hasSize(5);
        assertThat(result.get("kernelSpectrumInit").get("lambdaMax").asDouble()).isPositive();
        assertThat(result.get("reproducibility").get("seed").asLong()).isEqualTo(3);
        // timings: every phase of this run (exports included), summing to durationSeconds within 5% (issue 14)
        JsonNode phases = result.get("timings").get("phases");
        assertThat(phases.propertyNames()).containsExactly("setup", "training", "kernelRecords", "hessian", "linearization",
                "exports");
        double sum = 0;
        for (String phase : phases.propertyNames()) {
            sum += phases.get(phase).asDouble();
        }
        double duration = result.get("durationSeconds").asDouble();
        assertThat(sum).isCloseTo(duration, org.assertj.core.data.Offset.offset(0.05 * duration));
        assertThat(result.get("timings").get("hessianProbes")).hasSize(8);
        assertThat(http.get("/actuator/prometheus").text()).contains("ntklab_phase_seconds_count{phase=\"exports\"}");
        // The test JVMs run with the Vector API module (pom.xml), as the service does.
        assertThat(result.get("reproducibility").get("elementwise").asString()).isIn("vector-512", "vector-256");
        assertThat(job.get("progress").get("fraction").asDouble()).isEqualTo(1.0);
        assertThat(job.get("tags").get("suite").asString()).isEqualTo("api");

        Http.Response initial = http.get(location + "/artifacts/initial.npz");
        assertThat(initial.status()).isEqualTo(200);
        Map<String, NpyArray> arrays = NpzReader.read(new ByteArrayInputStream(initial.body()));
        assertThat(arrays.keySet()).containsExactly("X", "Y", "W1", "W2");
        assertThat(arrays.get("X").shape()).containsExactly(8, 3);
        assertThat(arrays.get("W1").shape()).containsExactly(32, 3);

        Map<String, NpyArray> kernels = NpzReader.read(new ByteArrayInputStream(
                http.get(location + "/artifacts/kernels.npz").body()));
        INDArray k0 = kernels.get("K0").toINDArray();
        assertThat(k0.norm2Number().doubleValue())
                .isCloseTo(result.get("kernelNormInit").asDouble(), org.assertj.core.data.Offset.offset(1e-9));

        String csv = http.get(location + "/artifacts/trajectory.csv").text();
        assertThat(csv.lines().count()).isEqualTo(1 + 5);
        assertThat(http.get(location + "/artifacts/losses.csv").text().lines().count()).isEqualTo(1 + 21);
        assertThat(http.get(location + "/artifacts/nothing.bin").status()).isEqualTo(404);
    }

    /**
     * measurements.infiniteWidthKernel: the result's distances are those of the exported K0 and K to
     * the exported Kinf (x) I_c; an undefined case reports its reason; a quadrature too long to run
     * is refused with a field error.
     */
    @Test
    void theInfiniteWidthKernelIsReportedAndExported() throws Exception {
        String location = submit("""
                {"name": "ntk", "seed": 4,
                 "network": {"hiddenWidths": [64], "activation": "tanh"},
                 "data": {"generator": "gaussian-mixture", "n": 5, "inputDim": 3},
                 "training": {"steps": 6},
                 "measurements": {"kernelEvery": 3, "hessianProbes": [], "infiniteWidthKernel": true}}
                """);
        JsonNode job = http.awaitTerminal(location, WAIT);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode limit = job.get("result").get("infiniteWidthKernel");
        assertThat(limit.get("expectations").asString()).isEqualTo("quadrature");
        assertThat(limit.get("quadratureChange").asDouble()).isLessThan(1e-10);
        assertThat(limit.has("reason")).isFalse();
        Map<String, NpyArray> kernels = NpzReader.read(new ByteArrayInputStream(
                http.get(location + "/artifacts/kernels.npz").body()));
        INDArray theta = kernels.get("Kinf").toINDArray();
        assertThat(theta.shape()).containsExactly(5, 5);
        INDArray limitFull = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 10, 10);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                limitFull.putScalar(2 * i, 2 * j, theta.getDouble(i, j));
                limitFull.putScalar(2 * i + 1, 2 * j + 1, theta.getDouble(i, j));
            }
        }
        double norm = limitFull.norm2Number().doubleValue();
        assertThat(limit.get("distanceInit").asDouble()).isCloseTo(
                kernels.get("K0").toINDArray().distance2(limitFull) / norm, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(limit.get("distanceEnd").asDouble()).isCloseTo(
                kernels.get("K").toINDArray().distance2(limitFull) / norm, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(limit.get("lambdaMax").asDouble()).isGreaterThan(limit.get("lambdaMin").asDouble());

        String undefined = submit("""
                {"network": {"hiddenWidths": [8], "outputMap": "swish"}, "data": {"n": 4, "inputDim": 2},
                 "training": {"steps": 1}, "measurements": {"hessianProbes": [], "infiniteWidthKernel": true}}
                """);
        JsonNode done = http.awaitTerminal(undefined, WAIT);
        assertThat(done.get("result").get("infiniteWidthKernel").get("reason").asString()).contains("linear output map");
        assertThat(done.get("result").get("infiniteWidthKernel").has("distanceInit")).isFalse();
        assertThat(NpzReader.read(new ByteArrayInputStream(http.get(undefined + "/artifacts/kernels.npz").body()))
                .keySet()).containsExactly("K0", "K");

        Http.Response tooLong = http.post("/api/v1/experiments", """
                {"network": {"hiddenWidths": [8, 8, 8], "activation": "gelu"}, "data": {"n": 2000, "inputDim": 2},
                 "measurements": {"hessianProbes": [], "infiniteWidthKernel": true}}
                """);
        assertThat(tooLong.status()).as(tooLong.text()).isEqualTo(400);
        assertThat(tooLong.json().get("errors").get(0).get("field").asString())
                .isEqualTo("measurements.infiniteWidthKernel");
    }

    @Test
    void aDivergedRunFailsNamingItsStepAndKeepsItsTrajectory() throws Exception {
        // eta = 50 is far above the stable 2: the loss grows geometrically until it overflows.
        String location = submit("""
                {"name": "diverges", "seed": 5,
                 "network": {"hiddenWidths": [20], "activation": "identity"},
                 "data": {"generator": "sphere", "n": 8, "inputDim": 3},
                 "training": {"learningRate": {"auto": 50}, "steps": 5000},
                 "measurements": {"kernelEvery": 3}}
                """);
        JsonNode job = http.awaitTerminal(location, WAIT);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("FAILED");
        JsonNode failure = job.get("failure");
        assertThat(failure.get("type").asString()).isEqualTo("/problems/diverged");
        assertThat(failure.get("title").asString()).isEqualTo("Training diverged");
        int step = failure.get("step").asInt();
        assertThat(step).isBetween(2, 4999);
        assertThat(job.get("error").asString()).contains("diverged at step " + step).contains("learning rate");
        assertThat(failure.get("detail").asString()).isEqualTo(job.get("error").asString());
        assertThat(job.get("progress").get("step").asInt()).isEqualTo(step);
        assertThat(job.get("result")).isNull();
        assertThat(job.get("artifacts").propertyNames()).containsExactlyInAnyOrder("initial.npz", "kernels.npz",
                "losses.csv", "trajectory.csv");

        List<String> losses = http.get(location + "/artifacts/losses.csv").text().lines().toList();
        assertThat(losses).hasSize(1 + step);
        assertThat(losses.get(step)).startsWith((step - 1) + ",");
        assertThat(losses.stream().skip(1).map(l -> Double.parseDouble(l.split(",")[1])))
                .allMatch(Double::isFinite);
        List<String> records = http.get(location + "/artifacts/trajectory.csv").text().lines().toList();
        assertThat(records).hasSize(1 + (step + 2) / 3);
        assertThat(records.get(records.size() - 1)).startsWith(3 * ((step - 1) / 3) + ",");
        Map<String, NpyArray> initial = NpzReader.read(new ByteArrayInputStream(
                http.get(location + "/artifacts/initial.npz").body()));
        assertThat(initial.keySet()).containsExactly("X", "Y", "W1", "W2");
        Map<String, NpyArray> kernels = NpzReader.read(new ByteArrayInputStream(
                http.get(location + "/artifacts/kernels.npz").body()));
        assertThat(kernels.get("K0").shape()).containsExactly(8, 8);
        assertThat(http.get(location + "/artifacts/result.json").status()).isEqualTo(404);
        assertThat(http.get(location + "/plot.svg").status()).isEqualTo(404);
    }

    @Test
    void textTheDatabaseCannotStoreIsRefusedNotAFiveHundred() {
        // PostgreSQL's text types cannot hold U+0000; JSON can carry it as \u0000
        Http.Response name = http.post("/api/v1/experiments", "{\"name\": \"a\\u0000b\"}");
        assertThat(name.status()).as(name.text()).isEqualTo(400);
        assertThat(name.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
        Http.Response tag = http.post("/api/v1/experiments", "{\"tags\": {\"k\\u0000\": \"v\"}}");
        assertThat(tag.status()).as(tag.text()).isEqualTo(400);
        Http.Response sweep = http.post("/api/v1/sweeps", "{\"name\": \"\\u0000\", \"grid\": {\"seed\": [1]}}");
        assertThat(sweep.status()).as(sweep.text()).isEqualTo(400);
        // a sweep's name and tags label every child, whose columns hold 200 and 100 characters
        Http.Response longName = http.post("/api/v1/sweeps", "{\"name\": \"" + "s".repeat(199) + "\", \"grid\": {\"seed\": [1]}}");
        assertThat(longName.status()).as(longName.text()).isEqualTo(400);
        assertThat(longName.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
        Http.Response longTag = http.post("/api/v1/sweeps", "{\"tags\": {\"k\": \"" + "v".repeat(101) + "\"}}");
        assertThat(longTag.status()).as(longTag.text()).isEqualTo(400);
        StringBuilder many = new StringBuilder("{\"tags\": {");
        for (int i = 0; i < 32; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": \"v\"");
        }
        Http.Response manyTags = http.post("/api/v1/sweeps", many + "}}");
        assertThat(manyTags.status()).as(manyTags.text()).isEqualTo(400); // 32 and the child's sweep=<id>
    }

    @Test
    void theHessiansStructureAndTheLossHessianAreServedAndExported() throws Exception {
        String location = submit("""
                {"seed": 2, "network": {"hiddenWidths": [6, 5], "activation": "tanh", "outputMap": "swish"},
                 "data": {"generator": "sphere", "n": 4, "inputDim": 3},
                 "training": {"learningRate": {"auto": 0.5}, "steps": 3},
                 "measurements": {"kernelEvery": 3, "hessianProbes": [{"index": 0}], "hessianBlocks": true,
                   "hessianTrace": {"samples": 6}, "hessianDensity": {"runs": 2, "steps": 5, "gridPoints": 30},
                   "lossHessian": true}}
                """);
        JsonNode job = http.awaitTerminal(location, WAIT);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("spec").get("measurements").get("hessianTrace").get("samples").asInt()).isEqualTo(6);
        JsonNode probe = job.get("result").get("hessianInit").get("probes").get(0);
        assertThat(probe.get("blocks")).hasSize(6);
        assertThat(probe.get("blocks").get(1).get("layers").toString()).isEqualTo("[1,2]");
        assertThat(probe.get("trace").get("samples").asInt()).isEqualTo(6);
        assertThat(probe.get("density").get("nodes")).hasSize(2);
        assertThat(probe.get("density").get("values")).hasSize(30);
        assertThat(job.get("result").get("hessianEnd").get("probes").get(0).get("blocks")).hasSize(6);
        for (String at : new String[] {"lossHessianInit", "lossHessianEnd"}) {
            JsonNode loss = job.get("result").get(at);
            assertThat(loss.get("lambdaMax").asDouble()).as(at).isGreaterThanOrEqualTo(loss.get("lambdaMin").asDouble());
            assertThat(loss.get("gaussNewtonLambdaMax").asDouble()).as(at).isPositive();
        }
        String hessian = http.get(location + "/artifacts/hessian.csv").text();
        // per step (0 and 3) and probe: the norm, six blocks and the trace
        assertThat(hessian.lines().count()).isEqualTo(1 + 2 * (1 + 6 + 1));
        assertThat(hessian.lines().filter(l -> l.startsWith("0,0,0,block,1,2,"))).hasSize(1);
        String density = http.get(location + "/artifacts/density.csv").text();
        assertThat(density.lines().findFirst().orElseThrow()).isEqualTo("step,index,output,run,node,weight,sigma");
        assertThat(density.lines().count()).isGreaterThan(2);
        Http.Response heatMap = http.get(location + "/hessian-blocks.svg");
        assertThat(heatMap.status()).isEqualTo(200);
        assertThat(heatMap.header("Content-Type")).contains("image/svg+xml");
        assertThat(heatMap.text()).contains("<svg", "W1", "W3", "end (step 3)");
        Http.Response curve = http.get(location + "/density.svg?at=end");
        assertThat(curve.status()).isEqualTo(200);
        assertThat(curve.text()).contains("<svg", "eigenvalue t", "nodes: probe x_0");
        assertThat(http.get(location + "/density.svg?at=middle").status()).isEqualTo(400);

        Http.Response bad = http.post("/api/v1/experiments", """
                {"measurements": {"hessianTrace": {"samples": 1}, "hessianDensity": {"runs": 0, "sigma": -1}}}
                """);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").toString()).contains("measurements.hessianTrace.samples",
                "measurements.hessianDensity.runs", "measurements.hessianDensity.sigma");
        Http.Response noProbes = http.post("/api/v1/experiments",
                "{\"measurements\": {\"hessianProbes\": [], \"hessianBlocks\": true}}");
        assertThat(noProbes.status()).isEqualTo(400);
        assertThat(noProbes.json().get("errors").get(0).get("field").asString()).isEqualTo("measurements.hessianBlocks");
    }

    /**
     * Found by the hostile-input property: the loss stays finite to the last step while the
     * Jacobian overflows (gelu, standard parameterization), so K(w_T) is NaN. That is a divergence
     * with its losses kept, not a failure of the kernel's eigen-solver.
     */
    @Test
    void aKernelThatOverflowsWhileTheLossIsFiniteIsADivergenceThatKeepsItsLosses() {
        String location = submit("""
                {"data": {"generator": "sphere", "noise": 1.2841020194168795},
                 "network": {"activation": "gelu", "hiddenWidths": [14, 5], "outputInit": "gaussian",
                   "parameterization": "standard"},
                 "training": {"lossTarget": 8.881784197001252E-16, "steps": 25}}
                """);
        JsonNode job = http.awaitTerminal(location, WAIT);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("FAILED");
        assertThat(job.get("error").asString()).contains("training diverged at step 25",
                "the tangent kernel K(w_t) is not finite although the loss is");
        assertThat(http.get(location + "/artifacts/losses.csv").text().lines().count()).isEqualTo(1 + 25);
    }

    @Test
    void anInlineDatasetWhoseForwardPassWouldOverflowIsA400NamingTheCell() {
        Http.Response r = http.post("/api/v1/experiments",
                "{\"data\": {\"x\": [[0.5, 1], [1e308, -2]], \"y\": [[1], [0]]}}");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.header("Content-Type")).contains("application/problem+json");
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("data.x[1][0]");
        assertThat(r.json().get("errors").get(0).get("message").asString()).contains("would overflow");
    }

    @Test
    void invalidSpecsGetFieldLevelProblems() {
        Http.Response widths = http.post("/api/v1/experiments", "{\"network\": {\"hiddenWidths\": [10, -1]}}");
        assertThat(widths.status()).isEqualTo(400);
        assertThat(widths.header("Content-Type")).contains("application/problem+json");
        assertThat(widths.json().get("errors").get(0).get("field").asString()).isEqualTo("network.hiddenWidths[1]");

        Http.Response activation = http.post("/api/v1/experiments", "{\"network\": {\"activation\": \"cosine\"}}");
        assertThat(activation.status()).isEqualTo(400);
        assertThat(activation.json().get("errors").get(0).get("field").asString()).isEqualTo("network.activation");
        assertThat(activation.json().get("errors").get(0).get("message").asString()).contains("tanh");

        Http.Response malformed = http.post("/api/v1/experiments", "{\"network\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("title").asString()).isNotBlank();

        Http.Response mismatched = http.post("/api/v1/experiments",
                "{\"data\": {\"x\": [[1, 2], [3, 4]], \"y\": [[1]]}}");
        assertThat(mismatched.status()).isEqualTo(400);
        assertThat(mismatched.json().get("errors").toString()).contains("data");

        Http.Response steps = http.post("/api/v1/experiments", "{\"training\": {\"steps\": 50001}}");
        assertThat(steps.status()).isEqualTo(400);
        assertThat(steps.json().get("errors").get(0).get("field").asString()).isEqualTo("training.steps");

        Http.Response unknownField = http.post("/api/v1/experiments", "{\"netwerk\": {}}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("errors").get(0).get("message").asString()).contains("netwerk");

        Http.Response badId = http.get("/api/v1/experiments/not-a-uuid");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(http.get("/api/v1/experiments/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
    }

    @Test
    void aRunningExperimentIsCancelledWithinAStep() {
        String location = submit("""
                {"network": {"hiddenWidths": [64]}, "data": {"n": 16, "inputDim": 4},
                 "training": {"steps": 50000}, "measurements": {"kernelEvery": 1000, "hessianProbes": []}}
                """);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!http.get(location).json().get("status").asString().equals("RUNNING")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.onSpinWait();
        }
        Http.Response cancel = http.post(location + "/cancel", "");
        assertThat(cancel.status()).isIn(200, 202);
        JsonNode job = http.awaitTerminal(location, Duration.ofSeconds(30));
        assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(job.get("progress").get("step").asInt()).isLessThan(50000);
        assertThat(http.post(location + "/cancel", "").status()).isEqualTo(409);
    }

    @Test
    void batchesAreQueuedAllOrNone() {
        long before = http.get("/api/v1/experiments?size=1").json().get("total").asLong();
        Http.Response refused = http.post("/api/v1/experiments/batch",
                "[" + SMALL + ", {\"network\": {\"hiddenWidths\": [0]}}]");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("[1].network.hiddenWidths[0]");
        assertThat(http.get("/api/v1/experiments?size=1").json().get("total").asLong()).isEqualTo(before);

        Http.Response accepted = http.post("/api/v1/experiments/batch", "[" + SMALL + ", " + SMALL + "]");
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json().get("ids")).hasSize(2);
        for (JsonNode id : accepted.json().get("ids")) {
            assertThat(http.awaitTerminal("/api/v1/experiments/" + id.asString(), WAIT).get("status").asString())
                    .isEqualTo("SUCCEEDED");
        }
    }

    @Test
    void anIdempotencyKeyReturnsTheOriginalJobAndRefusesAnotherBody() {
        Map<String, String> key = Map.of("Idempotency-Key", "idem-" + System.nanoTime());
        Http.Response first = http.post("/api/v1/experiments", SMALL, key);
        Http.Response again = http.post("/api/v1/experiments", SMALL, key);
        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        Http.Response other = http.post("/api/v1/experiments", SMALL.replace("\"seed\": 3", "\"seed\": 4"), key);
        assertThat(other.status()).isEqualTo(409);
        http.awaitTerminal(first.header("Location"), WAIT);
    }

    @Test
    void listingFiltersByTagAndStatusNewestFirst() {
        String tag = "run-" + System.nanoTime();
        String a = submit(SMALL.replace("\"suite\": \"api\"", "\"suite\": \"" + tag + "\""));
        String b = submit(SMALL.replace("\"suite\": \"api\"", "\"suite\": \"" + tag + "\""));
        http.awaitTerminal(a, WAIT);
        http.awaitTerminal(b, WAIT);
        JsonNode page = http.get("/api/v1/experiments?tag=suite=" + tag + "&status=SUCCEEDED").json();
        assertThat(page.get("total").asLong()).isEqualTo(2);
        assertThat(page.get("items").get(0).get("id").asString()).isEqualTo(b.substring(b.lastIndexOf('/') + 1));
        assertThat(http.get("/api/v1/experiments?status=BOGUS").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/experiments?size=0").status()).isEqualTo(400);
    }

    @Test
    void eventsStreamProgressAndTheFinalState() throws Exception {
        String location = submit(SMALL);
        HttpRequest request = HttpRequest.newBuilder(URI.create(http.base() + location + "/events"))
                .header("Accept", "text/event-stream").timeout(WAIT).build();
        HttpResponse<InputStream> response = http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> events = new ArrayList<>();
        String finalData = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = null;
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                    events.add(event);
                } else if (line.startsWith("data:") && "state".equals(event)) {
                    finalData = line.substring(5);
                }
            }
        }
        assertThat(events).contains("progress").last().isEqualTo("state");
        assertThat(finalData).contains("\"SUCCEEDED\"");
    }
}
