package org.ntklab.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.ntklab.config.NtklabProperties;
import org.ntklab.jobs.ExperimentExecution;
import org.ntklab.jobs.WorkerPool;
import org.ntklab.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The API under a steady rate of mixed traffic while every worker computes: long experiments fill
 * the worker pool (and the queue behind it), then {@link LoadGenerator} holds {@code ntklab.load.rate}
 * requests a second for {@code ntklab.load.seconds} (lists, gets, results, event streams, small
 * submissions, readiness probes) and reports p50/p99/max per class to {@code target/load-report.md}.
 * The bound is generous (p99 under 2 s, nothing but 202 or 429 refused) so that it holds on a shared
 * 2-core machine: it catches request threads starved by the computation, not a slow disk.
 * {@code bench/load.sh} runs it alone, longer.
 */
@Tag("slow")
@Tag("load")
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ntklab.limits.max-steps=100000"})
class ApiLoadTest {

    /** The acceptance bound on every class's 99th percentile. */
    private static final Duration P99_BOUND = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofMinutes(2);

    /** An experiment that computes for far longer than the load lasts (cancelled at the end). */
    private static final String LONG = """
            {"name": "load-long", "tags": {"load": "long"},
             "network": {"hiddenWidths": [2000]}, "data": {"n": 64, "inputDim": 16},
             "training": {"learningRate": {"auto": 0.1}, "steps": 100000},
             "measurements": {"kernelEvery": 10000, "hessianProbes": []}}
            """;
    private static final String FINISHED = """
            {"name": "load-finished", "network": {"hiddenWidths": [32]}, "data": {"n": 8, "inputDim": 3},
             "training": {"steps": 200}, "measurements": {"kernelEvery": 20}}
            """;

    @LocalServerPort
    int port;

    @Autowired
    WorkerPool pool;

    @Autowired
    NtklabProperties properties;

    @Autowired
    ExperimentExecution.RuntimeInfo runtime;

    private Http http;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @AfterEach
    void cancelEverything() {
        if (http == null) {
            return;
        }
        for (String status : List.of("RUNNING", "QUEUED")) {
            JsonNode page = http.get("/api/v1/experiments?size=200&status=" + status).json();
            page.get("items").forEach(job -> http.post("/api/v1/experiments/" + job.get("id").asString() + "/cancel", ""));
        }
    }

    @Test
    void theApiStaysResponsiveWhileEveryWorkerComputes() throws Exception {
        LoadGenerator.Settings settings = LoadGenerator.Settings.fromSystem();
        http = new Http("http://localhost:" + port, settings.token());

        String finished = http.post("/api/v1/experiments", FINISHED).header("Location");
        assertThat(http.awaitTerminal(finished, WAIT).get("status").asString()).isEqualTo("SUCCEEDED");

        List<String> running = new ArrayList<>();
        for (int i = 0; i < pool.workerCount() + 1; i++) {
            Http.Response r = http.post("/api/v1/experiments", LONG);
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            running.add(r.header("Location"));
        }
        await(() -> pool.running().size() == pool.workerCount(), "every worker computes");
        Map<String, Integer> computing = computeThreadNices();
        assertThat(computing).as("worker threads and the OpenMP threads they started").isNotEmpty();
        assertThat(computing.values()).as("their nice values: %s", computing).containsOnly(properties.workerNice());

        LoadGenerator generator = new LoadGenerator(http, settings, running, finished);
        LoadGenerator.Report report = generator.run();
        assertThat(pool.running()).as("every worker still computes at the end").hasSize(pool.workerCount());

        String table = report.markdown(pool.workerCount() + " worker(s) x " + runtime.nd4jThreads()
                + " ND4J thread(s) at nice " + properties.workerNice(), settings);
        System.out.println(table);
        Path out = Path.of("target", "load-report.md");
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, table);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }

        assertThat(report.unexpected()).as("responses other than the expected ones: %s", report.unexpectedSamples())
                .isZero();
        assertThat(report.sent()).as("the generator held its rate").isGreaterThanOrEqualTo(report.planned() * 9 / 10);
        for (LoadGenerator.ClassReport c : report.classes()) {
            assertThat(c.count()).as("%s requests", c.name()).isPositive();
            assertThat(c.p99Millis()).as("%s p99 (ms)", c.name()).isLessThan((double) P99_BOUND.toMillis());
        }
    }

    /**
     * The nice value of every thread named like a worker: the workers and the OpenMP threads they
     * created (a native thread inherits its creator's name and priority), by thread id.
     */
    private static Map<String, Integer> computeThreadNices() throws IOException {
        Map<String, Integer> nices = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("ntklab-worker")) {
                        String stat = Files.readString(task.resolve("stat"));
                        nices.put(task.getFileName().toString(),
                                Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
                    }
                } catch (java.nio.file.NoSuchFileException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        return nices;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
