package org.ntklab.load;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.ntklab.support.Http;

/**
 * An open-loop HTTP load generator: request i is due at {@code start + i / rate} whatever happened
 * to earlier ones, and its latency is measured from when it was due (so a stalled server shows as
 * latency, not as fewer requests: no coordinated omission). Requests cycle through a fixed mix of
 * {@link Kind}s and run on a pool of client threads; latencies go to one HdrHistogram per kind.
 */
final class LoadGenerator {

    /**
     * @param rate    requests per second, all kinds together
     * @param seconds how long the rate is held
     * @param token   an API key sent as {@code Authorization: Bearer}, or null
     */
    record Settings(int rate, int seconds, int warmupSeconds, String token) {
        /**
         * From {@code -Dntklab.load.rate} (20), {@code -Dntklab.load.seconds} (30),
         * {@code -Dntklab.load.warmup} (5 s at the same rate, not recorded: the JIT compiles the
         * request paths meanwhile) and {@code ntklab.test.token}.
         */
        static Settings fromSystem() {
            return new Settings(Integer.getInteger("ntklab.load.rate", 20), Integer.getInteger("ntklab.load.seconds", 30),
                    Integer.getInteger("ntklab.load.warmup", 5), Http.configuredToken());
        }
    }

    /** The request classes and their share of the traffic. */
    enum Kind {
        LIST("GET /api/v1/experiments?size=20", 3),
        GET("GET /api/v1/experiments/{id}", 3),
        RESULT("GET /api/v1/experiments/{id}/artifacts/losses.csv", 2),
        EVENTS("GET /api/v1/experiments/{id}/events (first event, close)", 1),
        SUBMIT("POST /api/v1/experiments (small)", 1),
        READINESS("GET /actuator/health/readiness", 1);

        final String request;
        final int weight;

        Kind(String request, int weight) {
            this.request = request;
            this.weight = weight;
        }
    }

    private static final String SMALL = """
            {"name": "load-small", "network": {"hiddenWidths": [8]}, "data": {"n": 4, "inputDim": 2},
             "training": {"steps": 5}, "measurements": {"kernelEvery": 5, "hessianProbes": []}}
            """;
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int CLIENT_THREADS = 32;

    private final Http http;
    private final Settings settings;
    private final List<String> running;
    private final String finished;
    private final Map<Kind, Histogram> latencies = new EnumMap<>(Kind.class);
    private final AtomicLong unexpected = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();

    /**
     * @param running  locations of running experiments (gets and event streams)
     * @param finished location of a SUCCEEDED experiment (results)
     */
    LoadGenerator(Http http, Settings settings, List<String> running, String finished) {
        // the timed requests measure the service: checking each against openapi.yaml would add the
        // validator's CPU to their latency (the same requests are checked by the API tests)
        this.http = http.withoutContractCheck();
        this.settings = settings;
        this.running = List.copyOf(running);
        this.finished = finished;
        for (Kind k : Kind.values()) {
            latencies.put(k, new Histogram(HIGHEST_MICROS, 3));
        }
    }

    /** Warms up, then holds the rate for the set duration, waits for the last responses, and reports. */
    Report run() throws InterruptedException {
        if (settings.warmupSeconds() > 0) {
            hold((long) settings.rate() * settings.warmupSeconds());
            for (Histogram h : latencies.values()) {
                synchronized (h) {
                    h.reset();
                }
            }
            unexpected.set(0);
            refused.set(0);
            samples.clear();
        }
        return hold((long) settings.rate() * settings.seconds());
    }

    private Report hold(long planned) throws InterruptedException {
        List<Kind> mix = new ArrayList<>();
        for (Kind k : Kind.values()) {
            for (int i = 0; i < k.weight; i++) {
                mix.add(k);
            }
        }
        long interval = TimeUnit.SECONDS.toNanos(1) / settings.rate();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS, r -> {
            Thread t = new Thread(r, "load-client");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        long sent = 0;
        for (long i = 0; i < planned; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Kind kind = mix.get((int) (i % mix.size()));
            int n = (int) i;
            clients.execute(() -> request(kind, n, due));
            sent++;
        }
        clients.shutdown();
        if (!clients.awaitTermination(REQUEST_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
            clients.shutdownNow();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<ClassReport> classes = new ArrayList<>();
        for (Kind k : Kind.values()) {
            Histogram h = latencies.get(k);
            synchronized (h) {
                classes.add(new ClassReport(k.name(), k.request, h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0,
                        h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0));
            }
        }
        return new Report(classes, planned, sent, refused.get(), unexpected.get(), List.copyOf(samples), elapsed);
    }

    private void request(Kind kind, int n, long due) {
        String target = running.get(n % running.size());
        int status;
        try {
            status = switch (kind) {
                case LIST -> http.get("/api/v1/experiments?size=20").status();
                case GET -> http.get(target).status();
                case RESULT -> http.get(finished + "/artifacts/losses.csv").status();
                case EVENTS -> firstEvent(target + "/events");
                case SUBMIT -> http.post("/api/v1/experiments", SMALL).status();
                case READINESS -> http.get("/actuator/health/readiness").status();
            };
        } catch (RuntimeException e) {
            status = -1;
            note(kind, e.toString());
        }
        long micros = (System.nanoTime() - due) / 1000;
        Histogram h = latencies.get(kind);
        synchronized (h) {
            h.recordValue(Math.min(micros, HIGHEST_MICROS));
        }
        boolean expected = kind == Kind.SUBMIT ? status == 202 || status == 429 : status == 200;
        if (status == 429) {
            refused.incrementAndGet();
        }
        if (!expected) {
            unexpected.incrementAndGet();
            note(kind, "status " + status);
        }
    }

    /** Opens an event stream, reads its first event and closes it; returns the status. */
    private int firstEvent(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + path))
                .header("Accept", "text/event-stream").timeout(REQUEST_TIMEOUT).GET();
        if (http.authorization() != null) {
            request.header("Authorization", http.authorization());
        }
        try {
            HttpResponse<InputStream> response = http.client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body();
                    BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                if (response.statusCode() != 200) {
                    return response.statusCode();
                }
                boolean data = false;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("data:")) {
                        data = true;
                    } else if (line.isEmpty() && data) {
                        return 200;
                    }
                }
                return -2; // the stream ended without an event
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void note(Kind kind, String what) {
        if (samples.size() < 20) {
            samples.add(kind + ": " + what);
        }
    }

    /** One request class's latencies, in milliseconds, measured from when each request was due. */
    record ClassReport(String name, String request, long count, double p50Millis, double p99Millis, double maxMillis) {
    }

    /**
     * @param planned    requests due over the run
     * @param sent       requests started
     * @param refused    429 answers (submissions over the queue's capacity: expected)
     * @param unexpected any other answer than 200 (202 or 429 for submissions), or no answer
     */
    record Report(List<ClassReport> classes, long planned, long sent, long refused, long unexpected,
            List<String> unexpectedSamples, double elapsedSeconds) {

        /** @param setup what computed meanwhile, e.g. "1 worker x 2 ND4J threads at nice 10" */
        String markdown(String setup, Settings settings) {
            StringBuilder out = new StringBuilder();
            out.append(String.format("Load: %d requests/s for %d s after a %d s warm-up (%d sent in %.1f s), while %s "
                            + "computed throughout; %d cores, %s, Java %s, load average %.1f at the end. 429: %d, "
                            + "unexpected: %d.%n%n", settings.rate(), settings.seconds(), settings.warmupSeconds(), sent,
                    elapsedSeconds, setup, Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " "
                            + System.getProperty("os.arch"), System.getProperty("java.version"),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), refused,
                    unexpected));
            out.append("| class | request | count | p50 ms | p99 ms | max ms |\n|---|---|---:|---:|---:|---:|\n");
            for (ClassReport c : classes) {
                out.append(String.format("| %s | `%s` | %d | %.1f | %.1f | %.1f |%n", c.name(), c.request(), c.count(),
                        c.p50Millis(), c.p99Millis(), c.maxMillis()));
            }
            return out.toString();
        }
    }
}
