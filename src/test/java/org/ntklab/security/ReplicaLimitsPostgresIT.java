package org.ntklab.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.ntklab.NtklabApplication;
import org.ntklab.support.Http;
import org.ntklab.support.PostgresDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two instances on one PostgreSQL, submitting for the same keys at once through both: the rate
 * limit and the quota of active jobs hold for the two together, not per instance (where the
 * buckets or the count were per instance, twice as many submissions would pass).
 */
@Tag("two-instances")
@EnabledIf("org.ntklab.support.PostgresDatabase#available")
class ReplicaLimitsPostgresIT {

    private static final String RATER_KEY = "rater-key-0123456789abcdef0123456789abcdef";
    private static final String QUOTA_KEY = "quota-key-0123456789abcdef0123456789abcdef";
    /** Tokens of the rater key: per hour, so none comes back during the test. */
    private static final int RATE = 6;
    /** Active experiments the quota key may have. */
    private static final int QUOTA = 5;
    /** Submissions per instance in each burst: twice as many in all as either limit allows. */
    private static final int PER_INSTANCE = 6;

    /** Long enough (hundreds of thousands of tiny steps) to stay QUEUED or RUNNING through the test. */
    private static final String LONG_EXPERIMENT = """
            {"name": "quota", "network": {"hiddenWidths": [16]}, "data": {"n": 4, "inputDim": 2},
             "training": {"steps": 100000}, "measurements": {"kernelEvery": 100000, "hessianProbes": []}}
            """;

    private static PostgresDatabase.Endpoint db;
    private static ConfigurableApplicationContext a;
    private static ConfigurableApplicationContext b;

    @BeforeAll
    static void start() {
        db = PostgresDatabase.fresh();
        a = instance("a");
        b = instance("b");
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static ConfigurableApplicationContext instance(String name) {
        // command-line arguments: they outrank application.yml (server.port=${PORT:8080})
        return new SpringApplicationBuilder(NtklabApplication.class).run(
                "--server.port=0", "--ntklab.instance-id=" + name,
                "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + db.password(),
                "--ntklab.workers=1", "--ntklab.nd4j-threads=1", "--ntklab.poll=200ms",
                "--ntklab.security.anonymous=off",
                "--ntklab.security.keys[0].name=rater", "--ntklab.security.keys[0].role=submitter",
                "--ntklab.security.keys[0].hash=" + KeyHash.of(RATER_KEY),
                "--ntklab.security.keys[0].rate.capacity=" + RATE, "--ntklab.security.keys[0].rate.period=1h",
                "--ntklab.security.keys[1].name=quota", "--ntklab.security.keys[1].role=submitter",
                "--ntklab.security.keys[1].hash=" + KeyHash.of(QUOTA_KEY),
                "--ntklab.security.keys[1].rate.capacity=1000",
                "--ntklab.security.keys[1].max-active-jobs=" + QUOTA);
    }

    private static Http http(ConfigurableApplicationContext context, String key) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new Http("http://localhost:" + port, key);
    }

    @Test
    void theRateLimitHoldsForBothInstancesTogether() throws Exception {
        // Each submission takes a token before it is validated: an invalid spec (400) costs no computation.
        List<Http.Response> responses = burst(http(a, RATER_KEY), http(b, RATER_KEY), "/api/v1/experiments",
                "{\"training\": {\"steps\": -1}}");
        long passed = responses.stream().filter(r -> r.status() == 400).count();
        long limited = responses.stream().filter(r -> r.status() == 429).count();
        assertThat(passed).as("submissions past the shared bucket: %s", statuses(responses)).isEqualTo(RATE);
        assertThat(limited).isEqualTo(2L * PER_INSTANCE - RATE);
        Http.Response refused = responses.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
        assertThat(refused.json().get("type").asString()).isEqualTo("/problems/rate-limited");
        assertThat(refused.header("Retry-After")).isNotBlank();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM rate_limit_bucket WHERE id LIKE 'rater|%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("one bucket row for the key, shared").isEqualTo(1);
        }
    }

    @Test
    void theQuotaOfActiveJobsHoldsForBothInstancesTogether() throws Exception {
        Http viaA = http(a, QUOTA_KEY);
        Http viaB = http(b, QUOTA_KEY);
        List<Http.Response> responses = burst(viaA, viaB, "/api/v1/experiments", LONG_EXPERIMENT);
        List<String> accepted = responses.stream().filter(r -> r.status() == 202).map(r -> r.header("Location")).toList();
        List<Http.Response> refused = responses.stream().filter(r -> r.status() == 429).toList();
        assertThat(accepted).as("accepted in all: %s", statuses(responses)).hasSize(QUOTA);
        assertThat(refused).hasSize(2 * PER_INSTANCE - QUOTA);
        JsonNode problem = refused.get(0).json();
        assertThat(problem.get("type").asString()).isEqualTo("/problems/quota-exceeded");
        assertThat(problem.get("setting").asString()).isEqualTo("ntklab.security.keys[1].max-active-jobs");
        assertThat(problem.get("maxActiveJobs").asInt()).isEqualTo(QUOTA);
        assertThat(refused.get(0).header("Retry-After")).isNotBlank();
        assertThat(activeOf("quota")).isEqualTo(QUOTA);

        // A sweep's children count one each: with the quota full, a sweep of two is refused whole.
        Http.Response sweep = viaB.post("/api/v1/sweeps", """
                {"name": "quota-sweep", "base": %s, "grid": {"seed": [1, 2]}}
                """.formatted(LONG_EXPERIMENT));
        assertThat(sweep.status()).as(sweep.text()).isEqualTo(429);
        assertThat(sweep.json().get("requested").asInt()).isEqualTo(2);

        // Ending three frees three: a sweep of two then fits (2 + 2), a batch of two more does not (4 + 2 > 5).
        for (String location : accepted.subList(0, 3)) {
            assertThat(viaA.post(location + "/cancel", "").status()).isIn(200, 202);
            viaA.awaitTerminal(location, java.time.Duration.ofMinutes(1));
        }
        assertThat(viaA.post("/api/v1/sweeps", """
                {"name": "quota-sweep", "base": %s, "grid": {"seed": [1, 2]}}
                """.formatted(LONG_EXPERIMENT)).status()).isEqualTo(202);
        Http.Response batch = viaB.post("/api/v1/experiments/batch", "[" + LONG_EXPERIMENT + "," + LONG_EXPERIMENT + "]");
        assertThat(batch.status()).as(batch.text()).isEqualTo(429);
        assertThat(batch.json().get("active").asInt()).isEqualTo(4);
        assertThat(activeOf("quota")).isEqualTo(4);

        for (String location : accepted.subList(3, QUOTA)) {
            viaA.post(location + "/cancel", "");
        }
    }

    /** {@code PER_INSTANCE} POSTs through each instance, all released at once. */
    private static List<Http.Response> burst(Http one, Http two, String path, String body) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2 * PER_INSTANCE);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Http.Response>> futures = new ArrayList<>();
            for (int i = 0; i < 2 * PER_INSTANCE; i++) {
                Http http = i % 2 == 0 ? one : two;
                Callable<Http.Response> post = () -> {
                    go.await();
                    return http.post(path, body);
                };
                futures.add(threads.submit(post));
            }
            go.countDown();
            List<Http.Response> responses = new ArrayList<>();
            for (Future<Http.Response> f : futures) {
                responses.add(f.get());
            }
            return responses;
        } finally {
            threads.shutdownNow();
        }
    }

    private static List<String> statuses(List<Http.Response> responses) {
        return responses.stream().map(r -> r.status() + (r.status() >= 500 || r.status() == 401 ? " " + r.text() : ""))
                .toList();
    }

    private static int activeOf(String key) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM experiment WHERE submitted_by = '" + key
                        + "' AND status IN ('QUEUED', 'RUNNING')")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
