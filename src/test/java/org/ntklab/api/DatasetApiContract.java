package org.ntklab.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntklab.core.data.npy.NpyArray;
import org.ntklab.core.data.npy.NpzReader;
import org.ntklab.support.Http;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Datasets end to end over HTTP: uploads (.npz raw and multipart, CSV), deduplication, listing,
 * statistics, the exact arrays back, refusals, deletion rules, and experiments and sweeps trained
 * on an uploaded dataset. The global body limit is set below the fixture's size to show uploads
 * follow ntklab.datasets.max-bytes instead. Subclasses run it on H2 and on PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ntklab.poll=100ms", "ntklab.heartbeat=500ms", "ntklab.lease=10s", "ntklab.workers=1",
        "ntklab.max-body-size=800B", "ntklab.datasets.max-bytes=3000B", "ntklab.datasets.max-rows=100"})
abstract class DatasetApiContract {

    static final Duration WAIT = Duration.ofSeconds(120);
    /** The fixtures' X, Y: sums of exact binary fractions, so means are exact and stds within a few ulps. */
    static final double STATS = 1e-12;

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://localhost:" + port);
    }

    static byte[] fixture(String name) {
        try (InputStream in = DatasetApiContract.class.getResourceAsStream("/datasets/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixture xy.npz's arrays, as NumPy wrote them. */
    static Map<String, NpyArray> numpy(String name) throws IOException {
        return NpzReader.read(new ByteArrayInputStream(fixture(name)));
    }

    private String upload() {
        Http.Response r = http.post("/api/v1/datasets?name=xy", fixture("xy.npz"), "application/octet-stream");
        assertThat(r.status()).as(r.text()).isIn(200, 201);
        return r.json().get("id").asString();
    }

    @Test
    void anUploadRoundTripsAndIdenticalContentIsStoredOnce() throws IOException {
        Http.Response csv = http.post("/api/v1/datasets?targets=t1,t2&name=from-csv", fixture("xy.csv"), "text/csv");
        assertThat(csv.status()).as(csv.text()).isIn(200, 201);
        String id = csv.json().get("id").asString();
        assertThat(csv.header("Location")).isEqualTo("/api/v1/datasets/" + id);
        assertThat(csv.json().get("xShape").toString()).isEqualTo("[12,3]");
        assertThat(csv.json().get("yShape").toString()).isEqualTo("[12,2]");
        assertThat(csv.json().get("dtype").asString()).isEqualTo("float64");
        assertThat(csv.json().get("sha256").asString()).matches("[0-9a-f]{64}");

        Http.Response raw = http.post("/api/v1/datasets", fixture("xy.npz"), "application/octet-stream");
        assertThat(raw.status()).as(raw.text()).isEqualTo(200);
        assertThat(raw.json().get("id").asString()).isEqualTo(id);
        Http.Response multipart = http.postMultipart("/api/v1/datasets", "file", "xy.npz", fixture("xy_f4_be_fortran.npz"));
        assertThat(multipart.status()).as(multipart.text()).isEqualTo(200);
        assertThat(multipart.json().get("id").asString()).isEqualTo(id);

        Http.Response data = http.get("/api/v1/datasets/" + id + "/data.npz");
        assertThat(data.status()).isEqualTo(200);
        assertThat(data.body().length).isEqualTo(csv.json().get("byteSize").asLong());
        assertThat(sha256(data.body())).isEqualTo(csv.json().get("sha256").asString());
        Map<String, NpyArray> back = NpzReader.read(new ByteArrayInputStream(data.body()));
        assertThat(back.keySet()).containsExactly("X", "Y");
        assertThat(back.get("X")).isEqualTo(numpy("xy.npz").get("X"));
        assertThat(back.get("Y")).isEqualTo(numpy("xy.npz").get("Y"));

        JsonNode one = http.get("/api/v1/datasets/" + id).json();
        assertThat(one.get("name").asString()).isEqualTo(csv.json().get("name").asString());
        double[] column0 = column(numpy("xy.npz").get("X").toDoubleArray(), 3, 0);
        JsonNode x0 = one.get("statistics").get("x").get(0);
        assertThat(x0.get("mean").asDouble()).isCloseTo(Arrays.stream(column0).average().orElseThrow(),
                org.assertj.core.data.Offset.offset(STATS));
        assertThat(x0.get("std").asDouble()).isCloseTo(populationStd(column0), org.assertj.core.data.Offset.offset(STATS));
        assertThat(x0.get("min").asDouble()).isEqualTo(-4.0);
        assertThat(x0.get("max").asDouble()).isEqualTo(-4.0 + 33 * 0.25);
        assertThat(one.get("statistics").get("x").get(2).get("std").asDouble()).isZero();
        assertThat(one.get("statistics").get("y")).hasSize(2);

        JsonNode list = http.get("/api/v1/datasets?size=50").json();
        assertThat(list.get("items").toString()).contains(id);
        assertThat(list.get("items").get(0).has("statistics")).isFalse();
        assertThat(http.get("/api/v1/datasets/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
    }

    @Test
    void listingIsNewestFirst() {
        Http.Response first = http.post("/api/v1/datasets?targets=b&name=first", "a,b\n1,2\n3,4\n".getBytes(), "text/csv");
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("name").asString()).isEqualTo("first");
        String older = first.json().get("id").asString();
        String newer = http.post("/api/v1/datasets?targets=b", "a,b\n1,2\n3,5\n".getBytes(), "text/csv").json()
                .get("id").asString();
        JsonNode items = http.get("/api/v1/datasets?size=2").json().get("items");
        assertThat(items.get(0).get("id").asString()).isEqualTo(newer);
        assertThat(items.get(1).get("id").asString()).isEqualTo(older);
    }

    @Test
    void refusedUploadsAreProblemDetailsNamingTheProblem() {
        assertProblem(http.post("/api/v1/datasets", fixture("nan.npz"), "application/octet-stream"), 400, "X[3][1] is NaN");
        assertProblem(http.post("/api/v1/datasets", fixture("inf.npz"), "application/octet-stream"), 400, "Infinity");
        assertProblem(http.post("/api/v1/datasets", fixture("missing_y.npz"), "application/octet-stream"), 400,
                "Y is missing");
        assertProblem(http.post("/api/v1/datasets", fixture("row_mismatch.npz"), "application/octet-stream"), 400,
                "X has 12 rows but Y has 10");
        assertProblem(http.post("/api/v1/datasets", fixture("complex.npz"), "application/octet-stream"), 400, "X.npy");
        assertProblem(http.post("/api/v1/datasets", fixture("truncated.npz"), "application/octet-stream"), 400,
                "not a valid .npz");
        assertProblem(http.post("/api/v1/datasets?targets=b", "a,b\n1,2\n3\n".getBytes(), "text/csv"), 400,
                "line 3 has 1 cells");
        assertProblem(http.post("/api/v1/datasets?targets=b", "a,b\n1,two\n".getBytes(), "text/csv"), 400,
                "'two' is not a number");
        assertProblem(http.post("/api/v1/datasets", "a,b\n1,2\n".getBytes(), "text/csv"), 400, "targets=");
        assertProblem(http.post("/api/v1/datasets?targets=b&name=a%00b", "a,b\n1,2\n".getBytes(), "text/csv"), 400,
                "U+0000");
        assertProblem(http.post("/api/v1/datasets", new byte[3001], "application/octet-stream"), 413, "3000 bytes");
        assertProblem(http.postMultipart("/api/v1/datasets", "file", "big.npz", new byte[4000]), 413, "max-bytes");
        StringBuilder rows = new StringBuilder("a,b\n");
        for (int i = 0; i < 101; i++) {
            rows.append(i).append(",1\n");
        }
        assertProblem(http.post("/api/v1/datasets?targets=b", rows.toString().getBytes(), "text/csv"), 413, "max-rows");
        long total = http.get("/api/v1/datasets?size=1").json().get("total").asLong();
        http.post("/api/v1/datasets", fixture("nan.npz"), "application/octet-stream");
        assertThat(http.get("/api/v1/datasets?size=1").json().get("total").asLong()).isEqualTo(total);
        // the global body limit (800 B) still applies elsewhere
        assertThat(http.post("/api/v1/experiments", "{\"name\": \"" + "x".repeat(900) + "\"}").status()).isEqualTo(413);
    }

    @Test
    void anExperimentTrainsOnExactlyTheUploadedArraysSubsetAndStandardized() throws IOException {
        String id = upload();
        String full = submit("{\"data\": {\"dataset\": \"" + id + "\"}, " + SMALL);
        String subset = submit("{\"data\": {\"dataset\": \"" + id + "\", \"subset\": {\"n\": 7, \"seed\": 5}}, " + SMALL);
        String both = submit("{\"data\": {\"dataset\": \"" + id + "\", \"subset\": {\"n\": 7, \"seed\": 5}, "
                + "\"standardize\": true}, " + SMALL);
        Map<String, NpyArray> uploaded = numpy("xy.npz");

        Map<String, NpyArray> a = initial(full);
        assertThat(a.get("X")).isEqualTo(uploaded.get("X"));
        assertThat(a.get("Y")).isEqualTo(uploaded.get("Y"));
        assertThat(http.get(full).json().get("spec").get("network").get("outputDim").asInt()).isEqualTo(2);

        Map<String, NpyArray> b = initial(subset);
        assertThat(b.get("X").shape()).containsExactly(7, 3);
        double[] ux = uploaded.get("X").toDoubleArray();
        double[] uy = uploaded.get("Y").toDoubleArray();
        double[] bx = b.get("X").toDoubleArray();
        double[] by = b.get("Y").toDoubleArray();
        Set<Integer> rows = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            int row = (int) Math.round((bx[3 * i] + 4.0) / 0.75);  // X[r][0] = 0.75 r - 4
            assertThat(Arrays.copyOfRange(bx, 3 * i, 3 * i + 3)).containsExactly(Arrays.copyOfRange(ux, 3 * row, 3 * row + 3));
            assertThat(Arrays.copyOfRange(by, 2 * i, 2 * i + 2)).containsExactly(Arrays.copyOfRange(uy, 2 * row, 2 * row + 2));
            rows.add(row);
        }
        assertThat(rows).hasSize(7);

        Map<String, NpyArray> c = initial(both);
        double[] cx = c.get("X").toDoubleArray();
        for (int j = 0; j < 3; j++) {
            double[] col = column(bx, 3, j);
            double mean = Arrays.stream(col).average().orElseThrow();
            double std = populationStd(col);
            double[] standardized = column(cx, 3, j);
            for (int i = 0; i < 7; i++) {
                double expected = std == 0 ? col[i] - mean : (col[i] - mean) / std;
                assertThat(standardized[i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(STATS));
            }
        }
        assertThat(c.get("Y")).isEqualTo(b.get("Y"));
    }

    @Test
    void specsNamingAMissingDatasetOrAnImpossibleShapeAreRefused() {
        String id = upload();
        assertField(http.post("/api/v1/experiments",
                "{\"data\": {\"dataset\": \"00000000-0000-0000-0000-000000000000\"}}"), "data.dataset");
        assertField(http.post("/api/v1/experiments", "{\"data\": {\"dataset\": \"" + id + "\", \"subset\": {\"n\": 13}}}"),
                "data.subset.n");
        assertField(http.post("/api/v1/experiments", "{\"data\": {\"dataset\": \"" + id + "\"}, \"network\": {\"outputDim\": 1}}"),
                "network.outputDim");
        assertField(http.post("/api/v1/experiments", "{\"data\": {\"dataset\": \"" + id + "\", \"n\": 5}}"), "data");
        assertField(http.post("/api/v1/experiments",
                "{\"data\": {\"dataset\": \"" + id + "\"}, \"measurements\": {\"hessianProbes\": [{\"index\": 12}]}}"),
                "measurements.hessianProbes[0].index");
        assertField(http.post("/api/v1/experiments", "{\"data\": {\"standardize\": true}}"), "data.standardize");
    }

    @Test
    void aDatasetInUseCannotBeDeletedUntilItsExperimentsEnd() {
        String id = http.post("/api/v1/datasets?targets=b", "a,b\n1,2\n3,4\n5,7\n".getBytes(), "text/csv").json()
                .get("id").asString();
        String running = submit("{\"data\": {\"dataset\": \"" + id + "\"}, \"network\": {\"hiddenWidths\": [16]}, "
                + "\"training\": {\"steps\": 50000}, \"measurements\": {\"kernelEvery\": 1000, \"hessianProbes\": []}}");
        Http.Response refused = http.delete("/api/v1/datasets/" + id);
        assertProblem(refused, 409, "used by a queued or running experiment");
        assertThat(http.get("/api/v1/datasets/" + id).status()).isEqualTo(200);
        http.post(running + "/cancel", "");
        assertThat(http.awaitTerminal(running, WAIT).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(http.delete("/api/v1/datasets/" + id).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/datasets/" + id).status()).isEqualTo(404);
        assertThat(http.delete("/api/v1/datasets/" + id).status()).isEqualTo(404);
        assertField(http.post("/api/v1/experiments", "{\"data\": {\"dataset\": \"" + id + "\"}}"), "data.dataset");
    }

    @Test
    void aSweepRunsOnAnUploadedDataset() throws IOException {
        String id = upload();
        Http.Response submitted = http.post("/api/v1/sweeps", """
                {"name": "on-dataset",
                 "base": {"data": {"dataset": "%s", "standardize": true}, "training": {"steps": 5},
                          "measurements": {"kernelEvery": 5, "hessianAt": "init", "hessianProbes": [{"index": 0}]}},
                 "grid": {"network.hiddenWidths": [[8], [32]]}}
                """.formatted(id));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String location = submitted.header("Location");
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode sweep = http.get(location).json();
        while (!List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(sweep.get("status").asString())) {
            assertThat(System.nanoTime()).as(sweep.toString()).isLessThan(deadline);
            Thread.onSpinWait();
            sweep = http.get(location).json();
        }
        assertThat(sweep.get("status").asString()).as(sweep.toString()).isEqualTo("SUCCEEDED");
        assertThat(sweep.get("table")).hasSize(2);
        String child = "/api/v1/experiments/" + sweep.get("children").get(1).asString();
        assertThat(http.get(child).json().get("spec").get("data").get("dataset").asString()).isEqualTo(id);
        Map<String, NpyArray> arrays = initial(child);
        assertThat(arrays.get("X").shape()).containsExactly(12, 3);
        assertThat(arrays.get("W1").shape()).containsExactly(32, 3);
        assertThat(arrays.get("Y")).isEqualTo(numpy("xy.npz").get("Y"));
        assertField(http.post("/api/v1/sweeps", """
                {"base": {"data": {"dataset": "%s"}}, "grid": {"data.subset": [{"n": 5}, {"n": 50}]}}
                """.formatted(id)), "children[1].data.subset.n");
    }

    private static final String SMALL = """
            "seed": 2, "network": {"hiddenWidths": [16]}, "training": {"steps": 5},
             "measurements": {"kernelEvery": 5, "hessianProbes": [{"index": 0}]}}
            """;

    private String submit(String body) {
        Http.Response r = http.post("/api/v1/experiments", body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.header("Location");
    }

    private Map<String, NpyArray> initial(String location) throws IOException {
        JsonNode job = http.awaitTerminal(location, WAIT);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        return NpzReader.read(new ByteArrayInputStream(http.get(location + "/artifacts/initial.npz").body()));
    }

    private static void assertProblem(Http.Response r, int status, String detail) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.header("Content-Type")).contains("application/problem+json");
        assertThat(r.json().get("detail").asString()).contains(detail);
    }

    private static void assertField(Http.Response r, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().get("errors").toString()).as(r.text()).contains("\"field\":\"" + field + "\"");
    }

    private static double[] column(double[] rowMajor, int cols, int j) {
        double[] out = new double[rowMajor.length / cols];
        for (int i = 0; i < out.length; i++) {
            out[i] = rowMajor[i * cols + j];
        }
        return out;
    }

    private static double populationStd(double[] v) {
        double mean = Arrays.stream(v).average().orElseThrow();
        return Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length);
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
