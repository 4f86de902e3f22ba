package org.ntklab.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.ntklab.jobs.WorkerPool;
import org.ntklab.support.Http;
import org.ntklab.support.TcpProxy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * The database becomes unreachable while a job computes, for longer than the job's lease, and
 * comes back: readiness is DOWN meanwhile and the API answers 503 problem details; the finished
 * job's result is written by its own run once the database answers (not re-queued, not lost,
 * not FAILED), and readiness is UP again. The service reaches its database through a
 * {@link TcpProxy} the test cuts; subclasses provide the database behind it.
 */
@Tag("slow")
@Tag("faults")
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ntklab.workers=1", "ntklab.poll=200ms", "ntklab.heartbeat=500ms", "ntklab.lease=3s",
        "spring.datasource.hikari.connection-timeout=1000", "spring.datasource.hikari.validation-timeout=500",
        "spring.datasource.hikari.maximum-pool-size=4"})
abstract class DatabaseOutageContract {

    private static final Duration WAIT = Duration.ofMinutes(3);
    /** Longer than the 3 s lease: the outage outlives the job's lease. */
    private static final Duration OUTAGE_AFTER_FAILED_WRITE = Duration.ofSeconds(4);

    /** The proxy between the service and its database, set up by the subclass before the context starts. */
    static TcpProxy proxy;

    @LocalServerPort
    int port;

    @Autowired
    WorkerPool pool;

    @AfterAll
    static void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aResultFinishedDuringAnOutageIsWrittenOnceTheDatabaseReturns() throws Exception {
        Http http = Http.withConfiguredToken("http://localhost:" + port);
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        // Long enough (~0.5 s of training) to be seen RUNNING between two polls 50 ms apart: at
        // n = 16 and width 256 the whole job once ran in less than one poll interval.
        Http.Response submitted = http.post("/api/v1/experiments", """
                {"name": "outage", "seed": 2,
                 "network": {"hiddenWidths": [4096], "activation": "tanh"},
                 "data": {"generator": "sphere", "n": 100, "inputDim": 4},
                 "training": {"learningRate": {"auto": 0.5}, "steps": 300},
                 "measurements": {"kernelEvery": 500, "hessianProbes": []}}
                """);
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String location = submitted.header("Location");
        await(() -> progress(http, location) > 0, "the job runs");

        proxy.cut();
        long retriesBefore = pool.writeRetries();
        Http.Response readiness = http.get("/actuator/health/readiness");
        assertThat(readiness.status()).as(readiness.text()).isEqualTo(503);
        assertThat(readiness.text()).contains("DOWN");
        Http.Response unavailable = http.get(location);
        assertThat(unavailable.status()).as(unavailable.text()).isEqualTo(503);
        assertThat(unavailable.header("Content-Type")).contains("application/problem+json");
        assertThat(unavailable.json().get("type").asString()).isEqualTo("/problems/database-unavailable");
        assertThat(unavailable.header("Retry-After")).isNotBlank();

        // The job finishes computing while the database is away: its write fails and is retried.
        await(() -> pool.writeRetries() > retriesBefore, "the finished job's write is retried");
        Thread.sleep(OUTAGE_AFTER_FAILED_WRITE.toMillis()); // the outage outlives the job's lease
        assertThat(pool.running()).as("the result waits in its worker").hasSize(1);
        proxy.restore();

        JsonNode job = http.awaitTerminal(location, WAIT);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempts").asInt()).as("written by its own run, not re-queued").isEqualTo(1);
        assertThat(job.get("result").get("steps").asInt()).isEqualTo(300);
        assertThat(job.get("artifacts").size()).isEqualTo(4);
        assertThat(http.get(location + "/artifacts/losses.csv").text().lines().count()).isEqualTo(1 + 301);
        await(() -> http.get("/actuator/health/readiness").status() == 200, "readiness UP again");
        JsonNode list = http.get("/api/v1/experiments?name=outage").json();
        assertThat(list.get("total").asLong()).as("one job, not a copy").isEqualTo(1);
    }

    private static int progress(Http http, String location) {
        JsonNode job = http.get(location).json();
        return job.get("status").asString().equals("RUNNING") ? job.get("progress").get("step").asInt() : 0;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
