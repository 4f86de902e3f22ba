package org.ntklab.api.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import static org.ntklab.api.fuzz.Generators.alphanumeric;
import static org.ntklab.api.fuzz.Generators.any;
import static org.ntklab.api.fuzz.Generators.anyStrings;
import static org.ntklab.api.fuzz.Generators.combine;
import static org.ntklab.api.fuzz.Generators.frequency;
import static org.ntklab.api.fuzz.Generators.just;
import static org.ntklab.api.fuzz.Generators.list;
import static org.ntklab.api.fuzz.Generators.maps;
import static org.ntklab.api.fuzz.Generators.of;
import static org.ntklab.api.fuzz.Generators.ofValues;
import static org.ntklab.api.fuzz.Generators.oneOf;
import static org.ntklab.api.fuzz.Generators.scaled;
import static org.ntklab.api.fuzz.Generators.subsetOf;
import static org.ntklab.api.fuzz.Generators.uniqueList;
import static org.ntklab.api.fuzz.Generators.weighted;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.ntklab.NtklabApplication;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Property-based fuzzing of the submission endpoints against a started service (real HTTP, real
 * Tomcat, H2): experiment specs, batches and sweeps with wrong types, huge, negative and
 * non-finite numbers (1e309, "NaN", "Infinity" - JSON has no NaN literal), unknown fields,
 * unicode and control characters in names and tags, ragged and non-numeric x and y, deep nesting,
 * bodies over the limit, malformed bytes. Every answer must be a 4xx problem detail (status, title
 * and detail) or an acceptance, never a 5xx and never slower than {@link #TIMEOUT}; every accepted
 * experiment must then run to SUCCEEDED (or stop because training diverged, which no validation
 * can foresee), and its plot and listing must render.
 *
 * <p>The service runs with small limits, so that what is accepted is quick to run on two cores.
 * QuickTheories drives the properties ({@link PropertyCheck}: random values from the generators
 * below, shrinking of a failure bounded in time, and checks that the generators reach the outcomes
 * they are meant to cover). The service is one context for all properties of a class, started by
 * each subclass's {@code @BeforeAll} on the database it names (H2, and PostgreSQL, which refuses
 * some text H2 takes), and closed after the class.
 */
abstract class HostileInputContract {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final Duration RUN = Duration.ofSeconds(90);
    static final int MAX_STEPS = 40;
    static final int MAX_WIDTH = 48;
    static final int MAX_N_D = 200;

    /** A field value meaning: leave the field out. */
    static final Object ABSENT = new Object();

    static ConfigurableApplicationContext context;
    static String base;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final JsonMapper json = JsonMapper.builder().build();

    /** Starts the service on {@code database} (spring.datasource.* settings): from each subclass's {@code @BeforeAll}. */
    static void start(String... database) {
        List<String> properties = new ArrayList<>(List.of(database));
        properties.addAll(List.of(
                "server.port=0",
                "spring.main.banner-mode=off",
                "ntklab.workers=1", "ntklab.nd4j-threads=1", "ntklab.poll=50ms", "ntklab.heartbeat=500ms",
                "ntklab.max-body-size=64KB", "ntklab.memory-budget=64MB", "ntklab.max-grid=6", "ntklab.max-batch=4",
                "ntklab.limits.max-steps=" + MAX_STEPS, "ntklab.limits.max-width=" + MAX_WIDTH,
                "ntklab.limits.max-depth=3", "ntklab.limits.max-input-values=" + MAX_N_D,
                "ntklab.limits.max-parameters=4000", "ntklab.limits.max-lanczos-iterations=100",
                "ntklab.limits.max-outputs=2", "ntklab.limits.max-probes=4",
                "ntklab.security.rate-limit.enabled=false"));
        // as arguments, which outrank application.yml (SpringApplicationBuilder.properties would not)
        context = new SpringApplicationBuilder(NtklabApplication.class)
                .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
        base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    // --- the properties

    @Test
    void experimentSpecsAreRefusedWithAProblemOrAcceptedAndRun() {
        PropertyCheck<Object> check = PropertyCheck.forAll(150, spec());
        check.check(spec -> {
            String body = Json.write(spec);
            HttpResponse<byte[]> r = post("/api/v1/experiments", "application/json", body.getBytes(StandardCharsets.UTF_8));
            JsonNode answer = problemOrAccepted(r, body);
            check.collect(r.statusCode() == 202 ? ranToTheEnd(answer.get("id").asString(), body) : "refused");
        }).atLeastPercent("SUCCEEDED", 10).atLeastPercent("refused", 30);
    }

    @Test
    void batchesAreAllOrNone() {
        PropertyCheck<List<Object>> check = PropertyCheck.forAll(80, list(spec(), 0, 6));
        check.check(specs -> {
            String body = Json.write(specs);
            HttpResponse<byte[]> r = post("/api/v1/experiments/batch", "application/json", body.getBytes(StandardCharsets.UTF_8));
            JsonNode answer = problemOrAccepted(r, body);
            if (r.statusCode() == 202) {
                assertThat(answer.get("ids").size()).as(body).isEqualTo(specs.size());
                answer.get("ids").forEach(id -> cancel("/api/v1/experiments/" + id.asString()));
            }
            check.collect(r.statusCode());
        }).atLeast(202, 1);
    }

    @Test
    void sweepsAreRefusedWithAProblemOrAccepted() {
        PropertyCheck<Object> check = PropertyCheck.forAll(150, oneOf(sweep(1, 1), sweep(100, 100), sweep(1, 400)));
        check.check(sweep -> {
            String body = Json.write(sweep);
            HttpResponse<byte[]> r = post("/api/v1/sweeps", "application/json", body.getBytes(StandardCharsets.UTF_8));
            JsonNode answer = problemOrAccepted(r, body);
            if (r.statusCode() == 202) {
                String path = "/api/v1/sweeps/" + answer.get("id").asString();
                cancel(path);
                for (String view : List.of(path, path + "/table.csv", path + "/plot.svg", "/api/v1/sweeps")) {
                    assertThat(get(view).statusCode()).as(view + " after " + body).isLessThan(500);
                }
            }
            check.collect(r.statusCode());
        }).atLeast(202, 3);
    }

    /** A body of {@link #structural()}, the endpoint it is posted to and its Content-Type. */
    record Post(byte[] body, String path, String contentType) {
        @Override
        public String toString() {
            return path + " " + contentType + " " + preview(body);
        }
    }

    @Test
    void malformedDeepOrOversizedBodiesAreProblems() {
        PropertyCheck<Post> check = PropertyCheck.forAll(100, structural().zip(endpoints(), contentTypes(),
                (body, path, type) -> new Post(body, (String) path, (String) type)));
        check.check(p -> {
            HttpResponse<byte[]> r = post(p.path(), p.contentType(), p.body());
            JsonNode answer = problemOrAccepted(r, p.toString());
            if (r.statusCode() == 202 && answer.has("id")) {
                cancel(p.path() + "/" + answer.get("id").asString());
            }
            check.collect(r.statusCode());
        }).atLeast(413, 1);
    }

    // --- what every answer must be

    /** A 4xx problem detail or 202 (201 for uploads); the parsed body. */
    static JsonNode problemOrAccepted(HttpResponse<byte[]> r, String request) {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as("status for %s%n-> %s", request, text).isIn(202, 400, 404, 405, 409, 413, 415, 422);
        JsonNode node = json.readTree(text);
        if (r.statusCode() >= 400) {
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(request)
                    .startsWith("application/problem+json");
            assertThat(node.get("status").asInt()).as(text).isEqualTo(r.statusCode());
            assertThat(node.get("title").asString()).as(text).isNotBlank();
            assertThat(node.get("detail")).as(text).isNotNull();
            // absent type means about:blank (RFC 9457 3.1.1); ours are /problems/...
            assertThat(node.has("type") ? node.get("type").asString() : "/problems/").as(request + " -> " + text)
                    .startsWith("/problems/");
        }
        return node;
    }

    /** The accepted experiment ends SUCCEEDED (or diverged), and its views render; its status. */
    static String ranToTheEnd(String id, String request) {
        String path = "/api/v1/experiments/" + id;
        long deadline = System.nanoTime() + RUN.toNanos();
        JsonNode job;
        while (true) {
            job = json.readTree(get(path).body());
            String status = job.get("status").asString();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                break;
            }
            assertThat(System.nanoTime()).as("%s still %s after %s", request, status, RUN).isLessThan(deadline);
            sleep(50);
        }
        String status = job.get("status").asString();
        if (!status.equals("SUCCEEDED")) {
            assertThat(status).as(request + "\n-> " + job).isEqualTo("FAILED");
            // the two run-time failures no validation can foresee: the loss overflowing (a large
            // fixed learning rate), and a zero kernel at the random initialisation (dead relu units)
            assertThat(job.get("error").asString()).as("an accepted spec failed at run time: " + request)
                    .containsAnyOf("training diverged", "tangent kernel K(w0) is zero");
        }
        assertThat(get(path + "/plot.svg").statusCode()).as(request).isIn(200, 404);
        for (Map.Entry<String, JsonNode> tag : job.get("tags").properties()) {
            String query = "/api/v1/experiments?tag=" + URLEncoder.encode(tag.getKey() + "=" + tag.getValue().asString(),
                    StandardCharsets.UTF_8);
            HttpResponse<byte[]> listed = get(query);
            assertThat(listed.statusCode()).as(query).isIn(200, 400);
        }
        return status;
    }

    // --- generators

    /** A sweep whose every part is hostile with odds {@code h} : 400, its name and tags with odds {@code labels} : 400. */
    static Gen<Object> sweep(int h, int labels) {
        Map<String, Gen<Object>> axes = Map.of(
                "seed", any(longs().between(0, 1000)),
                "network.hiddenWidths", integers().between(1, MAX_WIDTH).map(w -> (Object) List.of(w)),
                "training.steps", any(integers().between(0, MAX_STEPS)),
                "network.activation", of("tanh", "relu", "gelu", "swish"),
                "training.learningRate", doubles().between(0.05, 1).map(e -> (Object) Map.of("auto", scaled(e, 2))));
        List<String> axisNames = axes.keySet().stream().sorted().toList();
        Gen<Object> plausibleGrid = subsetOf(axisNames, 2).flatMap(paths -> {
            List<Gen<Object>> entries = new ArrayList<>();
            for (String path : paths) {
                entries.add(uniqueList(axes.get(path), 1, 3)
                        .map(values -> (Object) new java.util.AbstractMap.SimpleEntry<String, Object>(path, values)));
            }
            return combine(entries).map(list -> {
                Map<String, Object> grid = new LinkedHashMap<>();
                list.forEach(e -> grid.put(((Map.Entry<?, ?>) e).getKey().toString(), ((Map.Entry<?, ?>) e).getValue()));
                return (Object) grid;
            });
        });
        Gen<Object> hostilePath = oneOf(of("", ".", "network.", "network..activation",
                "network.hiddenWidths[0]", "nope.deep.path", "name", "tags.x", "data", "\u0000", "ネットワーク.幅",
                "seed.x", "network.hiddenWidths.0"), anyStrings(0, 30));
        Gen<Object> hostileGrid = any(maps(oneOf(hostilePath, ofValues(axisNames)), list(value(), 0, 5), 4));
        return object(h, Map.of(
                "name", choose(labels, label(), text(), value()),
                "tags", choose(labels, maps(label(), label(), 3), maps(text(), choose(40, text(), value()), 40), value()),
                "base", choose(h, spec(1, 1), spec(100, 100), value()),
                "grid", choose(h, plausibleGrid, hostileGrid, value()),
                "widthAxis", choose(h, of("max", "min", "MAX"), text()),
                "preset", frequency(weighted(1, of("figure-1-left", "figure-1-right", "figure-2", "table-1")),
                        weighted(h, text()), weighted(h, value())),
                "scale", choose(h, of("quick", "paper"), value())), 0.5);
    }

    static Gen<Object> endpoints() {
        return of("/api/v1/experiments", "/api/v1/experiments/batch", "/api/v1/sweeps");
    }

    static Gen<Object> contentTypes() {
        return frequency(weighted(8, just("application/json")),
                weighted(1, of("text/plain", "application/json; charset=ISO-8859-1", "application/xml",
                        "multipart/form-data; boundary=x", "application/json; charset=utf-16")));
    }

    static Gen<byte[]> structural() {
        Gen<String> deep = integers().between(1, 20_000).zip(of("[", "{\"a\":"),
                of("network", "data", "tags", "base", "grid", "training"), (depth, open, field) -> {
                    String close = open.equals("[") ? "]" : "}";
                    return "{\"" + field + "\":" + ((String) open).repeat(depth) + "1" + close.repeat(depth) + "}";
                });
        Gen<String> huge = integers().between(60_000, 200_000).map(size -> "{\"name\":\"" + "x".repeat(size) + "\"}");
        Gen<String> manyRows = integers().between(1000, 20_000).map(rows ->
                "{\"data\":{\"x\":[" + String.join(",", java.util.Collections.nCopies(rows, "[0.5,1e309]")) + "]}}");
        Gen<String> truncated = spec().map(Json::write).flatMap(s -> integers().between(0, s.length())
                .map(cut -> s.substring(0, cut)));
        Gen<Object> topLevel = of("[]", "[{}]", "\"spec\"", "42", "null", "true", "", " ", "{}{}",
                "{\"name\":\"a\",\"name\":\"b\"}", "{\"seed\":1e309}", "{\"seed\":NaN}", "{\"seed\":Infinity}",
                "{'name':'single'}", "{\"name\":\"a\"} trailing", "\uFEFF{}");
        Gen<Object> text = oneOf(deep, huge, manyRows, truncated, topLevel)
                .map(s -> (Object) ((String) s).getBytes(StandardCharsets.UTF_8));
        Gen<Object> bytes = any(Generate.byteArrays(integers().between(0, 300),
                Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)));
        Gen<Object> badUtf8 = of(new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3,
                '"', '}'}, new byte[] {'{', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}'},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        return frequency(weighted(6, text), weighted(2, bytes), weighted(1, badUtf8)).map(b -> (byte[]) b);
    }

    /**
     * An experiment spec: a third nearly plausible (each field hostile with odds 1 : 400, so that
     * many are accepted and run), a third hostile (odds 100 : 400 per field), a third plausible but
     * for hostile names and tags (what the database stores as text).
     */
    static Gen<Object> spec() {
        return oneOf(spec(1, 1), spec(100, 100), spec(1, 400));
    }

    /**
     * A spec whose every field is hostile with odds {@code h} : 400 (its name and tags with odds
     * {@code labels} : 400), and which has an unknown field with odds h : 400.
     */
    static Gen<Object> spec(int h, int labels) {
        Map<String, Gen<Object>> network = Map.of(
                "hiddenWidths", choose(h, list(any(integers().between(1, MAX_WIDTH)), 1, 3),
                        list(hostileNumber(), 0, 5), list(integers().between(1, 4), 4, 40), value()),
                "activation", enumName(h, "identity", "tanh", "sigmoid", "swish", "softplus", "gelu", "erf", "relu"),
                // softmax needs outputDim >= 2, and outputDim must match the data: plausible specs leave both alone
                "outputMap", choose(h, of("linear", "swish", "sigmoid", "tanh", "LINEAR"), just("softmax"),
                        text(), value()),
                "outputDim", choose(h, just(ABSENT), number(h, 1, 2)),
                "trainOutputLayer", choose(h, of(true, true, false), value()),
                "trainHiddenLayers", choose(h, of(true, true, false), value()),
                "parameterization", enumName(h, "ntk", "standard"),
                "outputInit", enumName(h, "gaussian", "rademacher"));
        Gen<Object> generated = object(h, Map.of(
                "generator", choose(h, of("sphere", "SPHERE", "line"), just("gaussian-mixture"), text(), value()),
                "n", number(h, 1, 40),
                "inputDim", choose(h, just(ABSENT), number(h, 1, 4)),
                "noise", choose(h, any(doubles().between(0, 2)), hostileNumber()),
                "separation", choose(h, any(doubles().between(0, 5)), hostileNumber())),
                0.4);
        Gen<Object> supplied = integers().between(1, 12).zip(integers().between(1, 3), integers().between(1, 2),
                (n, d, c) -> new int[] {n, d, c}).flatMap(ndc ->
                matrix(h, ndc[0], ndc[1]).zip(matrix(h, ndc[0], ndc[2]), (x, y) -> {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("x", x);
                    data.put("y", y);
                    return (Object) data;
                }));
        Gen<Object> data = frequency(weighted(240, generated), weighted(160, supplied),
                weighted(h, of(Map.of("dataset", UUID.randomUUID().toString()), Map.of("dataset", "not-a-uuid"),
                        Map.of("dataset", UUID.randomUUID().toString(), "x", List.of(List.of(1))))),
                weighted(h, value()));
        Gen<Object> learningRate = choose(h, oneOf(
                        doubles().between(0.01, 1.5).map(eta -> (Object) Map.of("auto", scaled(eta, 3))),
                        doubles().between(-4, 0.3).map(e -> (Object) Math.pow(10, e))),
                hostileNumber(), hostileNumber().map(v -> (Object) Map.of("auto", v)), value());
        Gen<Object> training = object(h, Map.of(
                "learningRate", learningRate,
                "steps", number(h, 0, MAX_STEPS),
                "lossTarget", choose(h, any(doubles().between(0, 1)), hostileNumber()),
                "loss", choose(h, of("squared-error", "SQUARED_ERROR"), just("cross-entropy"), text(), value())),
                0.5, "steps");
        Gen<Object> probe = object(h, Map.of("index", number(h, 0, 3), "output", number(h, 0, 0)), 0.7, "index");
        Gen<Object> measurements = object(h, Map.of(
                "kernelEvery", number(h, 1, 20),
                "hessianProbes", choose(h, list(probe, 0, 3), list(probe, 4, 6), value()),
                "hessianAt", enumName(h, "init", "init-and-end", "every-record"),
                "lanczosMaxIter", number(h, 1, 8),
                "lanczosTol", choose(h, doubles().between(-12, -2).map(e -> (Object) Math.pow(10, e)), hostileNumber()),
                "linearizationError", choose(h, of(true, false), value())), 0.4);
        return object(h, Map.of(
                "name", choose(labels, label(), text(), value()),
                "tags", choose(labels, maps(label(), label(), 4), maps(text(), choose(40, text(), value()), 40), value()),
                "seed", choose(h, any(longs().all()), hostileNumber()),
                "dtype", enumName(h, "float64", "float32"),
                "network", choose(h, object(h, network, 0.5, "hiddenWidths"), value()),
                "data", data,
                "training", choose(h, training, value()),
                "measurements", choose(h, measurements, value())), 0.5, "network", "training");
    }

    /** {@code plausible} with weight 400, each of {@code hostile} with weight {@code h}. */
    static Gen<Object> choose(int h, Gen<?> plausible, Gen<?>... hostile) {
        List<Pair<Integer, Gen<Object>>> choices = new ArrayList<>();
        choices.add(weighted(400, plausible));
        for (Gen<?> g : hostile) {
            choices.add(weighted(h, g));
        }
        return Generate.frequency(choices);
    }

    /** A name or tag a person might write, in any script: never blank, at most 60 characters. */
    static Gen<Object> label() {
        return oneOf(alphanumeric(" -_.", 1, 60).assuming(t -> !t.isBlank()),
                of("名前", "ἀρχή", "שם", "🧪🔬 run", "e\u0301", "Ελληνικά", "x=y", "a,b", "\"quoted\"", "50%"));
    }

    /** A JSON object holding each of {@code fields} with probability {@code p}, and an unknown field with odds h : 400. */
    static Gen<Object> object(int h, Map<String, Gen<Object>> fields, double p, String... required) {
        List<String> names = new ArrayList<>(fields.keySet());
        java.util.Collections.sort(names);
        List<Gen<Object>> entries = new ArrayList<>();
        for (String name : names) {
            Gen<Object> entry = fields.get(name).map(v -> (Object) new java.util.AbstractMap.SimpleEntry<>(name, v));
            if (List.of(required).contains(name)) { // (never ABSENT)
                entries.add(entry);
                continue;
            }
            entries.add(frequency(weighted((int) Math.round(p * 100), entry),
                    weighted((int) Math.round((1 - p) * 100), just("absent"))));
        }
        entries.add(frequency(weighted(400, just("absent")),
                weighted(h, text().zip(value(), (k, v) -> (Object) new java.util.AbstractMap.SimpleEntry<>(k, v)))));
        return combine(entries).map(list -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Object e : list) {
                if (e instanceof Map.Entry<?, ?> entry && entry.getValue() != ABSENT) {
                    out.put(String.valueOf(entry.getKey()), entry.getValue());
                }
            }
            return (Object) out;
        });
    }

    /** An n x d matrix of plausible numbers, sometimes with a hostile cell or a ragged row. */
    static Gen<Object> matrix(int h, int n, int d) {
        Gen<Object> cell = frequency(weighted(4000, doubles().between(-3, 3)), weighted(h, hostileNumber()));
        return list(list(cell, d, d), n, n).flatMap(rows -> frequency(
                weighted(400, just(rows)),
                weighted(h, just(ragged(rows)))));
    }

    private static List<List<Object>> ragged(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>(rows);
        List<Object> last = new ArrayList<>(out.get(out.size() - 1));
        last.add(0.5);
        out.set(out.size() - 1, last);
        return out;
    }

    static Gen<Object> tags() {
        return choose(100, maps(label(), label(), 4), maps(text(), choose(4, text(), value()), 40), value());
    }

    /** Strings of every kind: ASCII, unicode (astral planes, RTL, combining marks), control characters, long. */
    static Gen<Object> text() {
        return frequency(
                weighted(4, alphanumeric(" -_.", 0, 30)),
                weighted(3, anyStrings(0, 40)),
                weighted(2, of("名前", "ἀρχή", "שם", "🧪🔬", "e\u0301", "\u202Eevil", "\u0000", "\u0000nul",
                        "a\u0007b", "\uD800", "\uDC00x", "\u2028", "null", "'; DROP TABLE experiment; --",
                        "%00", "../../etc/passwd", "<script>alert(1)</script>", " ", "")),
                weighted(1, integers().between(90, 400).map(n -> "ω".repeat(n))));
    }

    /** A valid enum name (as written, in capitals or with '_'), or with odds h : 400 something else. */
    static Gen<Object> enumName(int h, String... names) {
        Gen<Object> written = of((Object[]) names);
        return choose(h, oneOf(written, written.map(s -> (Object) ((String) s).toUpperCase(java.util.Locale.ROOT)
                .replace('-', '_'))), text(), value());
    }

    /** An integer in [lo, hi], or with odds h : 400 a hostile number or another type. */
    static Gen<Object> number(int h, int lo, int hi) {
        return choose(h, integers().between(lo, hi), hostileNumber(), value());
    }

    /** Numbers JSON can carry and the service must refuse or bound, and strings that look like numbers. */
    static Gen<Object> hostileNumber() {
        return frequency(
                weighted(2, integers().all()),
                weighted(2, longs().all()),
                weighted(1, doubles().any()),
                weighted(3, of("1e309", "-1e309", "1e-400", "123456789012345678901234567890", "-0", "0.0",
                        "2147483648", "-2147483649", "9223372036854775808", "-9223372036854775809", "1.5", "1e2",
                        "4.9e-324", "1.7976931348623157e308", "0", "-1", "1" + "0".repeat(2000))
                        .map(t -> (Object) new Json.Raw((String) t))),
                weighted(2, of("NaN", "Infinity", "-Infinity", "+Infinity", "nan", "1e309", "12", "", "0x10",
                        "1_000")));
    }

    /** Any JSON value of a random type. */
    static Gen<Object> value() {
        return frequency(
                weighted(1, just(null)),
                weighted(1, of(true, false)),
                weighted(2, hostileNumber()),
                weighted(2, text()),
                weighted(1, of(List.of(), List.of(1, "a", List.of()), Map.of(), Map.of("k", List.of(Map.of())))));
    }

    // --- HTTP

    static HttpResponse<byte[]> post(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    static HttpResponse<byte[]> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    static void cancel(String path) {
        HttpResponse<byte[]> r = post(path + "/cancel", "application/json", new byte[0]);
        assertThat(r.statusCode()).as(path).isIn(200, 202, 409);
    }

    static HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT, e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String preview(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + body.length + " bytes)";
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
