package org.ntklab.api.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import org.ntklab.NtklabApplication;
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
 * jqwik drives it (this is not a Spring test: jqwik properties do not run under Spring's JUnit
 * extension), so the context is started here, on the database each subclass names (H2, and
 * PostgreSQL, which refuses some text H2 takes), and closed after the container.
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

    /** Starts the service on {@code database} (spring.datasource.* settings): from each subclass's {@code @BeforeContainer}. */
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

    @AfterContainer
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    // --- the properties

    @Property(tries = 150, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void experimentSpecsAreRefusedWithAProblemOrAcceptedAndRun(@ForAll("experimentSpecs") Object spec) {
        String body = Json.write(spec);
        HttpResponse<byte[]> r = post("/api/v1/experiments", "application/json", body.getBytes(StandardCharsets.UTF_8));
        JsonNode answer = problemOrAccepted(r, body);
        String outcome = r.statusCode() == 202 ? ranToTheEnd(answer.get("id").asString(), body) : "refused";
        Statistics.label("outcome").collect(outcome);
        Statistics.label("outcome").coverage(c -> {
            c.check("SUCCEEDED").percentage(p -> p >= 10);
            c.check("refused").percentage(p -> p >= 30);
        });
    }

    @Property(tries = 80, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void batchesAreAllOrNone(@ForAll("batches") List<Object> specs) {
        String body = Json.write(specs);
        HttpResponse<byte[]> r = post("/api/v1/experiments/batch", "application/json", body.getBytes(StandardCharsets.UTF_8));
        JsonNode answer = problemOrAccepted(r, body);
        Statistics.label("status").collect(r.statusCode());
        Statistics.label("status").coverage(c -> c.check(202).count(n -> n >= 1));
        if (r.statusCode() == 202) {
            assertThat(answer.get("ids").size()).as(body).isEqualTo(specs.size());
            answer.get("ids").forEach(id -> cancel("/api/v1/experiments/" + id.asString()));
        }
    }

    @Property(tries = 150, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void sweepsAreRefusedWithAProblemOrAccepted(@ForAll("sweeps") Object sweep) {
        String body = Json.write(sweep);
        HttpResponse<byte[]> r = post("/api/v1/sweeps", "application/json", body.getBytes(StandardCharsets.UTF_8));
        JsonNode answer = problemOrAccepted(r, body);
        Statistics.label("status").collect(r.statusCode());
        Statistics.label("status").coverage(c -> c.check(202).count(n -> n >= 3));
        if (r.statusCode() == 202) {
            String path = "/api/v1/sweeps/" + answer.get("id").asString();
            cancel(path);
            for (String view : List.of(path, path + "/table.csv", path + "/plot.svg", "/api/v1/sweeps")) {
                assertThat(get(view).statusCode()).as(view + " after " + body).isLessThan(500);
            }
        }
    }

    @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void malformedDeepOrOversizedBodiesAreProblems(@ForAll("structural") byte[] body,
            @ForAll("endpoints") String path, @ForAll("contentTypes") String contentType) {
        HttpResponse<byte[]> r = post(path, contentType, body);
        JsonNode answer = problemOrAccepted(r, path + " " + contentType + " " + preview(body));
        Statistics.label("status").collect(r.statusCode());
        Statistics.label("status").coverage(c -> c.check(413).count(n -> n >= 1));
        if (r.statusCode() == 202 && answer.has("id")) {
            cancel(path + "/" + answer.get("id").asString());
        }
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

    @Provide
    Arbitrary<Object> experimentSpecs() {
        return spec();
    }

    @Provide
    Arbitrary<List<Object>> batches() {
        return spec().list().ofMinSize(0).ofMaxSize(6);
    }

    @Provide
    Arbitrary<Object> sweeps() {
        return Arbitraries.oneOf(sweep(1, 1), sweep(100, 100), sweep(1, 400));
    }

    /** A sweep whose every part is hostile with odds {@code h} : 400, its name and tags with odds {@code labels} : 400. */
    static Arbitrary<Object> sweep(int h, int labels) {
        Map<String, Arbitrary<Object>> axes = Map.of(
                "seed", Arbitraries.longs().between(0, 1000).map(l -> (Object) l),
                "network.hiddenWidths", Arbitraries.integers().between(1, MAX_WIDTH).map(w -> (Object) List.of(w)),
                "training.steps", Arbitraries.integers().between(0, MAX_STEPS).map(i -> (Object) i),
                "network.activation", Arbitraries.of("tanh", "relu", "gelu", "swish").map(a -> (Object) a),
                "training.learningRate", Arbitraries.doubles().between(0.05, 1).ofScale(2).map(e -> (Object) Map.of("auto", e)));
        Arbitrary<Object> plausibleGrid = Arbitraries.subsetOf(axes.keySet()).ofMaxSize(2).flatMap(paths -> {
            List<Arbitrary<Object>> entries = new ArrayList<>();
            for (String path : paths) {
                entries.add(axes.get(path).list().ofMinSize(1).ofMaxSize(3).uniqueElements()
                        .map(values -> (Object) new java.util.AbstractMap.SimpleEntry<String, Object>(path, values)));
            }
            return entries.isEmpty() ? Arbitraries.just((Object) Map.of()) : Combinators.combine(entries).as(list -> {
                Map<String, Object> grid = new LinkedHashMap<>();
                list.forEach(e -> grid.put(((Map.Entry<?, ?>) e).getKey().toString(), ((Map.Entry<?, ?>) e).getValue()));
                return (Object) grid;
            });
        });
        Arbitrary<String> hostilePath = Arbitraries.oneOf(Arbitraries.of("", ".", "network.", "network..activation",
                "network.hiddenWidths[0]", "nope.deep.path", "name", "tags.x", "data", "\u0000", "ネットワーク.幅",
                "seed.x", "network.hiddenWidths.0"), Arbitraries.strings().all().ofMaxLength(30));
        Arbitrary<Object> hostileGrid = Arbitraries.maps(Arbitraries.oneOf(hostilePath, Arbitraries.of(axes.keySet())),
                value().list().ofMaxSize(5).map(l -> (Object) l)).ofMaxSize(4).map(m -> (Object) m);
        return object(h, Map.of(
                "name", choose(labels, label(), text(), value()),
                "tags", choose(labels, Arbitraries.maps(label(), label()).ofMaxSize(3),
                        Arbitraries.maps(text(), choose(40, text(), value())).ofMaxSize(40), value()),
                "base", choose(h, spec(1, 1), spec(100, 100), value()),
                "grid", choose(h, plausibleGrid, hostileGrid, value()),
                "widthAxis", choose(h, Arbitraries.of("max", "min", "MAX"), text()),
                "preset", Arbitraries.frequencyOf(weighted(1, Arbitraries.of("figure-1-left", "figure-1-right", "figure-2",
                        "table-1")), weighted(h, text()), weighted(h, value())),
                "scale", choose(h, Arbitraries.of("quick", "paper"), value())), 0.5);
    }

    @Provide
    Arbitrary<String> endpoints() {
        return Arbitraries.of("/api/v1/experiments", "/api/v1/experiments/batch", "/api/v1/sweeps");
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(weighted(8, Arbitraries.just("application/json")),
                weighted(1, Arbitraries.of("text/plain", "application/json; charset=ISO-8859-1", "application/xml",
                        "multipart/form-data; boundary=x", "application/json; charset=utf-16")));
    }

    @Provide
    Arbitrary<byte[]> structural() {
        Arbitrary<String> deep = Combinators.combine(Arbitraries.integers().between(1, 20_000), Arbitraries.of("[", "{\"a\":"),
                Arbitraries.of("network", "data", "tags", "base", "grid", "training"))
                .as((depth, open, field) -> {
                    String close = open.equals("[") ? "]" : "}";
                    return "{\"" + field + "\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}";
                });
        Arbitrary<String> huge = Arbitraries.integers().between(60_000, 200_000).map(size ->
                "{\"name\":\"" + "x".repeat(size) + "\"}");
        Arbitrary<String> manyRows = Arbitraries.integers().between(1000, 20_000).map(rows ->
                "{\"data\":{\"x\":[" + String.join(",", java.util.Collections.nCopies(rows, "[0.5,1e309]")) + "]}}");
        Arbitrary<String> truncated = spec().map(Json::write).flatMap(s -> Arbitraries.integers().between(0, s.length())
                .map(cut -> s.substring(0, cut)));
        Arbitrary<String> topLevel = Arbitraries.of("[]", "[{}]", "\"spec\"", "42", "null", "true", "", " ", "{}{}",
                "{\"name\":\"a\",\"name\":\"b\"}", "{\"seed\":1e309}", "{\"seed\":NaN}", "{\"seed\":Infinity}",
                "{'name':'single'}", "{\"name\":\"a\"} trailing", "\uFEFF{}");
        Arbitrary<byte[]> text = Arbitraries.oneOf(deep, huge, manyRows, truncated, topLevel)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> badUtf8 = Arbitraries.of(new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3,
                '"', '}'}, new byte[] {'{', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}'},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        return Arbitraries.frequencyOf(weighted(6, text), weighted(2, bytes), weighted(1, badUtf8));
    }

    /**
     * An experiment spec: a third nearly plausible (each field hostile with odds 1 : 400, so that
     * many are accepted and run), a third hostile (odds 100 : 400 per field), a third plausible but
     * for hostile names and tags (what the database stores as text).
     */
    static Arbitrary<Object> spec() {
        return Arbitraries.oneOf(spec(1, 1), spec(100, 100), spec(1, 400));
    }

    /**
     * A spec whose every field is hostile with odds {@code h} : 400 (its name and tags with odds
     * {@code labels} : 400), and which has an unknown field with odds h : 400.
     */
    static Arbitrary<Object> spec(int h, int labels) {
        Map<String, Arbitrary<?>> network = Map.of(
                "hiddenWidths", choose(h, Arbitraries.integers().between(1, MAX_WIDTH).map(i -> (Object) i).list()
                                .ofMinSize(1).ofMaxSize(3),
                        hostileNumber().list().ofMaxSize(5), Arbitraries.integers().between(1, 4).list().ofMinSize(4)
                                .ofMaxSize(40), value()),
                "activation", enumName(h, "identity", "tanh", "sigmoid", "swish", "softplus", "gelu", "erf", "relu"),
                // softmax needs outputDim >= 2, and outputDim must match the data: plausible specs leave both alone
                "outputMap", choose(h, Arbitraries.of("linear", "swish", "sigmoid", "tanh", "LINEAR"), Arbitraries.just("softmax"),
                        text(), value()),
                "outputDim", choose(h, Arbitraries.just(ABSENT), number(h, 1, 2)),
                "trainOutputLayer", choose(h, Arbitraries.of(true, true, false), value()),
                "trainHiddenLayers", choose(h, Arbitraries.of(true, true, false), value()),
                "parameterization", enumName(h, "ntk", "standard"),
                "outputInit", enumName(h, "gaussian", "rademacher"));
        Arbitrary<Object> generated = object(h, Map.of(
                "generator", choose(h, Arbitraries.of("sphere", "SPHERE", "line"), Arbitraries.just("gaussian-mixture"),
                        text(), value()),
                "n", number(h, 1, 40),
                "inputDim", choose(h, Arbitraries.just(ABSENT), number(h, 1, 4)),
                "noise", choose(h, Arbitraries.doubles().between(0, 2).map(d -> (Object) d), hostileNumber()),
                "separation", choose(h, Arbitraries.doubles().between(0, 5).map(d -> (Object) d), hostileNumber())),
                0.4);
        Arbitrary<Object> supplied = Combinators.combine(Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 2)).flatAs((n, d, c) ->
                Combinators.combine(matrix(h, n, d), matrix(h, n, c)).as((x, y) -> {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("x", x);
                    data.put("y", y);
                    return (Object) data;
                }));
        Arbitrary<Object> data = Arbitraries.frequencyOf(weighted(240, generated), weighted(160, supplied),
                weighted(h, Arbitraries.of(Map.of("dataset", UUID.randomUUID().toString()), Map.of("dataset", "not-a-uuid"),
                        Map.of("dataset", UUID.randomUUID().toString(), "x", List.of(List.of(1))))),
                weighted(h, value()));
        Arbitrary<Object> learningRate = choose(h, Arbitraries.oneOf(
                        Arbitraries.doubles().between(0.01, 1.5).ofScale(3).map(eta -> (Object) Map.of("auto", eta)),
                        Arbitraries.doubles().between(-4, 0.3).map(e -> (Object) Math.pow(10, e))),
                hostileNumber(), hostileNumber().map(v -> (Object) Map.of("auto", v)), value());
        Arbitrary<Object> training = object(h, Map.of(
                "learningRate", learningRate,
                "steps", number(h, 0, MAX_STEPS),
                "lossTarget", choose(h, Arbitraries.doubles().between(0, 1).map(d -> (Object) d), hostileNumber()),
                "loss", choose(h, Arbitraries.of("squared-error", "SQUARED_ERROR"), Arbitraries.just("cross-entropy"),
                        text(), value())), 0.5, "steps");
        Arbitrary<Object> probe = object(h, Map.of("index", number(h, 0, 3), "output", number(h, 0, 0)), 0.7, "index");
        Arbitrary<Object> measurements = object(h, Map.of(
                "kernelEvery", number(h, 1, 20),
                "hessianProbes", choose(h, probe.list().ofMaxSize(3).map(l -> (Object) l), probe.list().ofMinSize(4)
                        .ofMaxSize(6).map(l -> (Object) l), value()),
                "hessianAt", enumName(h, "init", "init-and-end", "every-record"),
                "lanczosMaxIter", number(h, 1, 8),
                "lanczosTol", choose(h, Arbitraries.doubles().between(-12, -2).map(e -> (Object) Math.pow(10, e)),
                        hostileNumber()),
                "linearizationError", choose(h, Arbitraries.of(true, false), value())), 0.4);
        return object(h, Map.of(
                "name", choose(labels, label(), text(), value()),
                "tags", choose(labels, Arbitraries.maps(label(), label()).ofMaxSize(4),
                        Arbitraries.maps(text(), choose(40, text(), value())).ofMaxSize(40), value()),
                "seed", choose(h, Arbitraries.longs().map(l -> (Object) l), hostileNumber()),
                "dtype", enumName(h, "float64", "float32"),
                "network", choose(h, object(h, network, 0.5, "hiddenWidths"), value()),
                "data", data,
                "training", choose(h, training, value()),
                "measurements", choose(h, measurements, value())), 0.5, "network", "training");
    }

    /** {@code plausible} with weight 400, each of {@code hostile} with weight {@code h}. */
    static Arbitrary<Object> choose(int h, Arbitrary<?> plausible, Arbitrary<?>... hostile) {
        List<net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends Object>>> choices = new ArrayList<>();
        choices.add(weighted(400, plausible));
        for (Arbitrary<?> a : hostile) {
            choices.add(weighted(h, a));
        }
        return Arbitraries.frequencyOf(choices.toArray(net.jqwik.api.Tuple.Tuple2[]::new));
    }

    /** A name or tag a person might write, in any script: never blank, at most 60 characters. */
    static Arbitrary<Object> label() {
        return Arbitraries.oneOf(Arbitraries.strings().alpha().numeric().withChars(" -_.").ofMinLength(1).ofMaxLength(60)
                        .filter(t -> !t.isBlank()),
                Arbitraries.of("名前", "ἀρχή", "שם", "🧪🔬 run", "e\u0301", "Ελληνικά", "x=y", "a,b", "\"quoted\"", "50%"))
                .map(t -> (Object) t);
    }

    /** A JSON object holding each of {@code fields} with probability {@code p}, and an unknown field with odds h : 400. */
    static Arbitrary<Object> object(int h, Map<String, ? extends Arbitrary<?>> fields, double p, String... required) {
        List<String> names = new ArrayList<>(fields.keySet());
        java.util.Collections.sort(names);
        List<Arbitrary<Object>> entries = new ArrayList<>();
        for (String name : names) {
            Arbitrary<?> value = fields.get(name);
            if (List.of(required).contains(name)) { // (never ABSENT)
                entries.add(value.map(v -> (Object) new java.util.AbstractMap.SimpleEntry<>(name, v)));
                continue;
            }
            entries.add(Arbitraries.frequencyOf(
                    weighted((int) Math.round(p * 100), value.map(v -> (Object) new java.util.AbstractMap.SimpleEntry<>(name, v))),
                    weighted((int) Math.round((1 - p) * 100), Arbitraries.just((Object) "absent"))));
        }
        entries.add(Arbitraries.frequencyOf(weighted(400, Arbitraries.just((Object) "absent")),
                weighted(h, Combinators.combine(text(), value()).as((k, v) -> (Object) new java.util.AbstractMap.SimpleEntry<>(k, v)))));
        return Combinators.combine(entries).as(list -> {
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
    static Arbitrary<Object> matrix(int h, int n, int d) {
        Arbitrary<Object> cell = Arbitraries.frequencyOf(weighted(4000, Arbitraries.doubles().between(-3, 3).map(v -> (Object) v)),
                weighted(h, hostileNumber()));
        return cell.list().ofSize(d).list().ofSize(n).flatMap(rows -> Arbitraries.frequencyOf(
                weighted(400, Arbitraries.just((Object) rows)),
                weighted(h, Arbitraries.just((Object) ragged(rows)))));
    }

    private static List<List<Object>> ragged(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>(rows);
        List<Object> last = new ArrayList<>(out.get(out.size() - 1));
        last.add(0.5);
        out.set(out.size() - 1, last);
        return out;
    }

    static Arbitrary<Object> tags() {
        return choose(100, Arbitraries.maps(label(), label()).ofMaxSize(4),
                Arbitraries.maps(text(), choose(4, text(), value())).ofMaxSize(40), value());
    }

    /** Strings of every kind: ASCII, unicode (astral planes, RTL, combining marks), control characters, long. */
    static Arbitrary<Object> text() {
        return Arbitraries.frequencyOf(
                weighted(4, Arbitraries.strings().alpha().numeric().withChars(" -_.").ofMinLength(0).ofMaxLength(30)),
                weighted(3, Arbitraries.strings().all().ofMinLength(0).ofMaxLength(40)),
                weighted(2, Arbitraries.of("名前", "ἀρχή", "שם", "🧪🔬", "e\u0301", "\u202Eevil", "\u0000", "\u0000nul",
                        "a\u0007b", "\uD800", "\uDC00x", "\u2028", "null", "'; DROP TABLE experiment; --",
                        "%00", "../../etc/passwd", "<script>alert(1)</script>", " ", "")),
                weighted(1, Arbitraries.integers().between(90, 400).map(n -> "ω".repeat(n))))
                .map(s -> (Object) s);
    }

    /** A valid enum name (as written, in capitals or with '_'), or with odds h : 400 something else. */
    static Arbitrary<Object> enumName(int h, String... names) {
        return choose(h, Arbitraries.oneOf(Arbitraries.of(names),
                Arbitraries.of(names).map(s -> s.toUpperCase(java.util.Locale.ROOT).replace('-', '_'))), text(), value());
    }

    /** An integer in [lo, hi], or with odds h : 400 a hostile number or another type. */
    static Arbitrary<Object> number(int h, int lo, int hi) {
        return choose(h, Arbitraries.integers().between(lo, hi).map(i -> (Object) i), hostileNumber(), value());
    }

    /** Numbers JSON can carry and the service must refuse or bound, and strings that look like numbers. */
    static Arbitrary<Object> hostileNumber() {
        return Arbitraries.frequencyOf(
                weighted(2, Arbitraries.integers().map(i -> (Object) i)),
                weighted(2, Arbitraries.longs().map(l -> (Object) l)),
                weighted(1, Arbitraries.doubles().map(d -> (Object) d)),
                weighted(3, Arbitraries.of("1e309", "-1e309", "1e-400", "123456789012345678901234567890", "-0", "0.0",
                        "2147483648", "-2147483649", "9223372036854775808", "-9223372036854775809", "1.5", "1e2",
                        "4.9e-324", "1.7976931348623157e308", "0", "-1", "1" + "0".repeat(2000)).map(Json.Raw::new)),
                weighted(2, Arbitraries.of("NaN", "Infinity", "-Infinity", "+Infinity", "nan", "1e309", "12", "", "0x10",
                        "1_000")));
    }

    /** Any JSON value of a random type. */
    static Arbitrary<Object> value() {
        return Arbitraries.frequencyOf(
                weighted(1, Arbitraries.just(null)),
                weighted(1, Arbitraries.of(true, false)),
                weighted(2, hostileNumber()),
                weighted(2, text()),
                weighted(1, Arbitraries.of(List.of(), List.of(1, "a", List.of()), Map.of(), Map.of("k", List.of(Map.of())))));
    }

    /** One weighted choice of {@link Arbitraries#frequencyOf}; its values are taken as {@code T}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends T>> weighted(int weight, Arbitrary<?> arbitrary) {
        return net.jqwik.api.Tuple.of(weight, (Arbitrary) arbitrary);
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
