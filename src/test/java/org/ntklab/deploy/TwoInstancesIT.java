package org.ntklab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.ntklab.support.Http;
import org.ntklab.support.PostgresDatabase;
import tools.jackson.databind.JsonNode;

/**
 * Two instances of the packaged service share one PostgreSQL: both run a sweep's children; one
 * is killed (SIGKILL, no graceful stop) in the middle of a job, which is re-queued when its lease
 * expires and finishes on the other; every child ends SUCCEEDED exactly once with one result and
 * one set of artifacts.
 */
@Tag("two-instances")
@EnabledIf("org.ntklab.support.PostgresDatabase#available")
class TwoInstancesIT {

    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration WAIT = Duration.ofMinutes(6);

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aKilledInstancesJobIsRequeuedAndEveryChildFinishesExactlyOnce() throws Exception {
        PostgresDatabase.Endpoint db = PostgresDatabase.fresh();
        int portA = freePort();
        int portB = freePort();
        Process a = start("a", portA, db);
        Process b = start("b", portB, db);
        Http httpA = new Http("http://localhost:" + portA);
        Http httpB = new Http("http://localhost:" + portB);
        await(() -> ready(httpA) && ready(httpB), START, "both instances ready");

        // Eight children of a few seconds each, submitted through instance B.
        Http.Response submitted = httpB.post("/api/v1/sweeps", """
                {"name": "two-instances",
                 "base": {"network": {"hiddenWidths": [1500]}, "data": {"n": 16, "inputDim": 8},
                          "training": {"steps": 1500}, "measurements": {"kernelEvery": 50, "hessianProbes": [{"index": 0}]}},
                 "grid": {"seed": [1, 2, 3, 4, 5, 6, 7, 8]}}
                """);
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String sweep = submitted.header("Location");
        List<String> children = new ArrayList<>();
        submitted.json().get("children").forEach(c -> children.add(c.asString()));

        // Wait until A has finished a child and is in the middle of another, then kill it.
        String[] victim = new String[1];
        await(() -> {
            boolean finishedOnA = false;
            for (String id : children) {
                JsonNode child = httpB.get("/api/v1/experiments/" + id).json();
                String status = child.get("status").asString();
                if (status.equals("SUCCEEDED") && child.get("result").get("reproducibility").get("instance").asString().equals("a")) {
                    finishedOnA = true;
                }
                if (status.equals("RUNNING") && runningOn(db, id).equals("a") && child.get("progress").get("step").asInt() > 0) {
                    victim[0] = id;
                }
            }
            return finishedOnA && victim[0] != null;
        }, WAIT, "instance a finished one child and runs another");
        a.destroyForcibly().waitFor();
        // What a was running when it died, as the database has it (a can no longer change anything).
        victim[0] = runningOnA(db);
        assertThat(victim[0]).as("instance a was killed in the middle of a job").isNotNull();

        JsonNode done = httpB.awaitTerminal(sweep, WAIT);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("counts").get("SUCCEEDED").asInt()).isEqualTo(8);

        Set<String> instances = new HashSet<>();
        for (String id : children) {
            JsonNode child = httpB.get("/api/v1/experiments/" + id).json();
            instances.add(child.get("result").get("reproducibility").get("instance").asString());
        }
        assertThat(instances).as("both instances ran children").containsExactlyInAnyOrder("a", "b");

        JsonNode killed = httpB.get("/api/v1/experiments/" + victim[0]).json();
        assertThat(killed.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(killed.get("attempts").asInt()).as("re-queued once after the kill").isEqualTo(2);
        assertThat(killed.get("result").get("reproducibility").get("instance").asString()).isEqualTo("b");

        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT e.id, e.status, e.result IS NOT NULL, COUNT(a.name) FROM experiment e "
                    + "LEFT JOIN artifact a ON a.experiment_id = e.id GROUP BY e.id, e.status, e.result");
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertThat(rs.getString(2)).isEqualTo("SUCCEEDED");
                assertThat(rs.getBoolean(3)).isTrue();
                assertThat(rs.getInt(4)).as("one set of artifacts for %s", rs.getString(1)).isEqualTo(4);
            }
            assertThat(rows).isEqualTo(8);
        }
    }

    private Process start(String instance, int port, PostgresDatabase.Endpoint db) throws IOException {
        File jar = Files.list(Path.of("target")).map(Path::toFile)
                .filter(f -> f.getName().startsWith("ntklab-") && f.getName().endsWith(".jar")
                        && !f.getName().endsWith("-plain.jar"))
                .findFirst().orElseThrow(() -> new IllegalStateException("package the service first (target/ntklab-*.jar)"));
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx768m",
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir",
                        System.getProperty("user.home") + "/.javacpp/cache"),
                "-jar", jar.getAbsolutePath(),
                "--server.port=" + port,
                "--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + db.password(),
                "--ntklab.instance-id=" + instance,
                "--ntklab.workers=1", "--ntklab.nd4j-threads=1", "--ntklab.warmup.enabled=false",
                "--ntklab.lease=6s", "--ntklab.heartbeat=1s", "--ntklab.poll=200ms")
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "two-instances-" + instance + ".log").toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process p = builder.start();
        processes.add(p);
        return p;
    }

    private static String runningOnA(PostgresDatabase.Endpoint db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM experiment WHERE status = 'RUNNING' AND lease_owner = 'a'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String runningOn(PostgresDatabase.Endpoint db, String id) {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT lease_owner FROM experiment WHERE id = '" + java.util.UUID.fromString(id) + "'")) {
            return rs.next() && rs.getString(1) != null ? rs.getString(1) : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static boolean ready(Http http) {
        try {
            return http.get("/actuator/health/readiness").status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
