package org.ntklab.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.ntklab.jobs.JobRepository;
import org.ntklab.support.Http;
import org.ntklab.support.PostgresDatabase;

/**
 * Real crashes, many times: the packaged service runs as a separate process on the embedded H2
 * (file mode) and on PostgreSQL while a stream of short experiments and sweeps is submitted, and
 * is killed with SIGKILL {@link #KILLS} times per database at seeded random moments (a third while
 * it starts, a third while it computes, and a third inside a result write: the test-only setting
 * {@code ntklab.testing.result-write-delay} holds each result write's transaction open and logs
 * {@link JobRepository#RESULT_WRITE_MARKER}, and the test kills on seeing it), restarting it each
 * time. Afterwards: every acknowledged submission exists once; every job is SUCCEEDED exactly once
 * with one result and its four artifacts, all of which NumPy reads; each job's {@code attempts}
 * is one more than the kills that found it RUNNING; nothing is RUNNING; and the database's own
 * check is clean (H2: reopened after the kills and every row and LOB read out by {@code SCRIPT};
 * PostgreSQL: amcheck's {@code verify_heapam} and {@code bt_index_check} on every table and index),
 * plus integrity queries on both. The counts are printed.
 */
@Tag("crash")
@Tag("slow")
class ProcessCrashIT {

    private static final long SEED = 20_261_206L;
    /** SIGKILLs per database. */
    private static final int KILLS = Integer.getInteger("ntklab.crash.kills", 20);
    /** How long a result write stays open before its commit: the window the write-kills aim at. */
    private static final Duration WRITE_WINDOW = Duration.ofMillis(1500);
    private static final Duration START = Duration.ofMinutes(2);
    private static final Duration DRAIN = Duration.ofMinutes(3);
    private static final String[] ARTIFACTS = {"initial.npz", "kernels.npz", "trajectory.csv", "losses.csv"};

    /** JVM flags for a quick start; the class-data archive is added when {@link #prepareLaunch} made one. */
    private static final List<String> JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xss512k", "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir",
                    System.getProperty("user.home") + "/.javacpp/cache"));

    /** The java command and its flags, up to the application's arguments. */
    private static List<String> launch;

    @TempDir
    Path tmp;

    /**
     * About 40 starts are most of this test's time: the packaged jar is extracted (Spring Boot's
     * {@code jarmode=tools}) and one start that stops after the context is refreshed records the
     * classes it loaded in a class-data-sharing archive, which every later start maps instead of
     * loading and verifying them again (about half of a start here). The jar itself is what runs.
     */
    @org.junit.jupiter.api.BeforeAll
    static void prepareLaunch() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path jar = Files.list(Path.of("target")).filter(f -> f.getFileName().toString().startsWith("ntklab-")
                        && f.getFileName().toString().endsWith(".jar") && !f.getFileName().toString().endsWith("-plain.jar"))
                .findFirst().orElseThrow(() -> new IllegalStateException("package the service first (target/ntklab-*.jar)"));
        Path app = Path.of("target", "crash-app").toAbsolutePath();
        if (Files.exists(app)) {
            try (var files = Files.walk(app)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Path extracted = app.resolve(jar.getFileName());
        Path archive = app.resolve("app.jsa");
        List<String> plain = new ArrayList<>(List.of(java));
        plain.addAll(JVM);
        launch = new ArrayList<>(plain);
        launch.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        if (run(List.of(java, "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", app.toString()))
                && Files.exists(extracted)) {
            List<String> training = new ArrayList<>(plain);
            training.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh",
                    "-jar", extracted.toString(), "--server.port=0", "--spring.datasource.url=jdbc:h2:mem:training"));
            if (run(training) && Files.exists(archive)) {
                launch = new ArrayList<>(plain);
                launch.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-jar", extracted.toString()));
            }
        }
        System.out.println("crash test starts the service with: " + String.join(" ", launch));
    }

    private static boolean run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "crash-app-prepare.log").toFile()).start();
        return p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0;
    }

    @Test
    void onH2() throws Exception {
        Path dir = tmp.resolve("h2");
        Files.createDirectories(dir);
        String url = "jdbc:h2:file:" + dir.toAbsolutePath() + "/ntklab;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        Campaign c = new Campaign("h2", url, "sa", "");
        c.run();
        try (Connection db = c.connect(); Statement s = db.createStatement()) {
            // Reading every row and LOB back out of the reopened file: a damaged page or chunk throws.
            Path script = tmp.resolve("h2-script.sql");
            s.execute("SCRIPT TO '" + script.toAbsolutePath() + "'");
            assertThat(Files.size(script)).isPositive();
            c.consistencyCheck = "H2 reopened after the kills (MVStore recovery), SCRIPT of every row and LOB";
        }
        c.verify();
    }

    @Test
    @EnabledIf("org.ntklab.support.PostgresDatabase#available")
    void onPostgres() throws Exception {
        PostgresDatabase.Endpoint db = PostgresDatabase.fresh();
        Campaign c = new Campaign("postgres", db.url(), db.user(), db.password());
        c.run();
        try (Connection conn = c.connect(); Statement s = conn.createStatement()) {
            boolean amcheck;
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pg_extension WHERE extname = 'amcheck'")) {
                rs.next();
                amcheck = rs.getInt(1) == 1;
            }
            if (!amcheck) {
                try {
                    s.execute("CREATE EXTENSION amcheck");
                    amcheck = true;
                } catch (SQLException e) {
                    amcheck = false;
                }
            }
            if (amcheck) {
                int tables = 0;
                int indexes = 0;
                try (ResultSet rs = s.executeQuery("SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n "
                        + "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'")) {
                    List<String> names = new ArrayList<>();
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                    for (String table : names) {
                        try (Statement t = conn.createStatement();
                                ResultSet bad = t.executeQuery("SELECT COUNT(*) FROM verify_heapam('" + table + "')")) {
                            bad.next();
                            assertThat(bad.getInt(1)).as("verify_heapam(%s): corrupt tuples", table).isZero();
                        }
                        tables++;
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c "
                        + "ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a "
                        + "ON a.oid = c.relam WHERE n.nspname = 'public' AND a.amname = 'btree'")) {
                    List<String> names = new ArrayList<>();
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                    for (String index : names) {
                        try (Statement t = conn.createStatement()) {
                            t.execute("SELECT bt_index_check('" + index + "', true)"); // throws on corruption
                        }
                        indexes++;
                    }
                }
                assertThat(indexes).isPositive();
                c.consistencyCheck = "amcheck: verify_heapam on " + tables + " tables, bt_index_check(heapallindexed) on "
                        + indexes + " indexes";
            } else {
                assertThat(Boolean.parseBoolean(System.getenv("NTKLAB_REQUIRE_POSTGRES")))
                        .as("amcheck is required where PostgreSQL is (.ci/run installs it in template1)").isFalse();
                c.consistencyCheck = "amcheck not installed: integrity queries only";
            }
        }
        c.verify();
    }

    /** One database's run: the process, the submissions, the kills and what they found. */
    private final class Campaign {
        final String name;
        final String url;
        final String user;
        final String password;
        final Random random = new Random(SEED);
        /** Per job, the attempts (claims) that a kill found RUNNING: each is a claim that was cut short. */
        final Map<UUID, Set<Integer>> runningAtKill = new HashMap<>();
        final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        final Set<UUID> acknowledgedSweeps = ConcurrentHashMap.newKeySet();
        volatile String base;
        volatile boolean submitting = true;
        Process process;
        Path log;
        long logOffset;
        int starts;
        int kills;
        int killsInsideWrite;
        int killsDuringStart;
        String consistencyCheck = "";
        long began;
        long startedAt;

        Campaign(String name, String url, String user, String password) {
            this.name = name;
            this.url = url;
            this.user = user;
            this.password = password;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        void run() throws Exception {
            began = System.nanoTime();
            start();
            Thread submitter = new Thread(this::submit, "crash-submitter");
            submitter.setDaemon(true);
            submitter.start();
            for (int k = 0; k < KILLS; k++) {
                UUID writing = null;
                if (k % 3 == 2) {
                    // A moment of the process's start (JVM, Flyway, ND4J, recovery): maybe before it is ready.
                    long delay = 1500 + random.nextInt(5000) - (System.nanoTime() - startedAt) / 1_000_000;
                    Thread.sleep(Math.max(0, delay));
                    killsDuringStart += ready() ? 0 : 1;
                } else {
                    awaitReady();
                    if (k % 3 == 1) {
                        writing = awaitResultWrite(Duration.ofSeconds(60));
                    } else {
                        Thread.sleep(random.nextInt(2500));
                    }
                }
                kill();
                snapshotAfterKill(writing);
                start();
            }
            awaitReady();
            submitting = false;
            submitter.join(TimeUnit.MINUTES.toMillis(1));
            await(() -> active() == 0, DRAIN, "every job terminal");
            process.destroy(); // a graceful stop, so the database files are closed cleanly
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        void start() throws IOException {
            int port = freePort();
            starts++;
            log = Path.of("target", "crash-" + name + "-" + starts + ".log");
            logOffset = 0;
            List<String> command = new ArrayList<>(launch);
            command.addAll(List.of(
                    "--server.port=" + port,
                    "--spring.datasource.url=" + url, "--spring.datasource.username=" + user,
                    "--spring.datasource.password=" + password,
                    "--ntklab.instance-id=" + name + "-" + starts,
                    "--ntklab.workers=2", "--ntklab.nd4j-threads=1", "--ntklab.max-attempts=1000",
                    "--ntklab.lease=6s", "--ntklab.heartbeat=500ms", "--ntklab.poll=200ms",
                    "--ntklab.shutdown-grace=2s", "--ntklab.security.rate-limit.enabled=false",
                    "--ntklab.testing.result-write-delay=" + WRITE_WINDOW.toMillis() + "ms"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("OMP_NUM_THREADS", "1");
            process = builder.start();
            startedAt = System.nanoTime();
            base = "http://localhost:" + port;
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            kills++;
        }

        boolean ready() {
            try {
                return new Http(base).get("/actuator/health/readiness").status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        }

        void awaitReady() throws InterruptedException {
            await(() -> {
                assertThat(process.isAlive()).as("the service (see %s) exited", log).isTrue();
                return ready();
            }, START, "the service ready (" + log + ")");
        }

        /** Waits for the next result-write marker in the current log; the job it names, or null on a timeout. */
        UUID awaitResultWrite(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                    if (f.length() > logOffset) {
                        byte[] bytes = new byte[(int) (f.length() - logOffset)];
                        f.seek(logOffset);
                        f.readFully(bytes);
                        String text = new String(bytes, StandardCharsets.UTF_8);
                        int at = text.lastIndexOf(JobRepository.RESULT_WRITE_MARKER);
                        int end = text.lastIndexOf('\n');
                        logOffset += end < 0 ? 0 : text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
                        if (at >= 0 && at < end) {
                            String id = text.substring(at + JobRepository.RESULT_WRITE_MARKER.length()).substring(0, 36);
                            return UUID.fromString(id);
                        }
                    }
                }
                Thread.sleep(20);
            }
            return null;
        }

        /** What the killed process left: each RUNNING claim will be followed by another; was a marked write cut? */
        void snapshotAfterKill(UUID writing) throws SQLException {
            try (Connection db = connect(); Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id, attempts FROM experiment WHERE status = 'RUNNING'")) {
                while (rs.next()) {
                    // a job still RUNNING from an earlier kill (its lease not yet recovered) is the same claim
                    runningAtKill.computeIfAbsent(rs.getObject(1, UUID.class), id -> new java.util.HashSet<>())
                            .add(rs.getInt(2));
                }
            }
            if (writing != null && runningAtKill.containsKey(writing) && status(writing).equals("RUNNING")) {
                killsInsideWrite++;
            }
        }

        String status(UUID id) throws SQLException {
            try (Connection db = connect(); Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("SELECT status FROM experiment WHERE id = '" + id + "'")) {
                return rs.next() ? rs.getString(1) : "";
            }
        }

        /** QUEUED and RUNNING jobs, as the running service reports them. */
        long active() {
            try {
                Http http = new Http(base);
                return http.get("/api/v1/experiments?status=QUEUED&size=1").json().get("total").asLong()
                        + http.get("/api/v1/experiments?status=RUNNING&size=1").json().get("total").asLong();
            } catch (RuntimeException e) {
                return -1;
            }
        }

        /** Experiments (retried with their Idempotency-Key until acknowledged) and sweeps, while the test runs. */
        void submit() {
            Random pace = new Random(SEED + 1);
            int n = 0;
            String pendingKey = null;
            while (submitting) {
                try {
                    Thread.sleep(300 + pace.nextInt(600));
                    Http http = new Http(base);
                    if (pendingKey == null && n % 6 == 5) {
                        n++;
                        Http.Response r = http.post("/api/v1/sweeps", """
                                {"name": "crash-sweep-%d", "base": %s, "grid": {"seed": [1, 2]}}
                                """.formatted(n, experiment(20 + pace.nextInt(40))));
                        if (r.status() == 202) {
                            acknowledgedSweeps.add(UUID.fromString(r.json().get("id").asString()));
                            r.json().get("children").forEach(c -> acknowledged.add(UUID.fromString(c.asString())));
                        }
                        continue;
                    }
                    if (pendingKey == null) {
                        n++;
                        pendingKey = name + "-" + n;
                    }
                    Http.Response r = http.post("/api/v1/experiments", experiment(20 + (pendingKey.hashCode() & 31)),
                            Map.of("Idempotency-Key", pendingKey));
                    if (r.status() == 202 || r.status() == 200) {
                        acknowledged.add(UUID.fromString(r.json().get("id").asString()));
                        pendingKey = null;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the process is dead or starting: the same key is sent again
                }
            }
        }

        String experiment(int steps) {
            return """
                    {"name": "crash", "network": {"hiddenWidths": [16]}, "data": {"n": 8, "inputDim": 2},
                     "training": {"steps": %d}, "measurements": {"kernelEvery": 10, "hessianProbes": []}}
                    """.formatted(steps);
        }

        void verify() throws Exception {
            Path exported = tmp.resolve(name + "-artifacts");
            int jobs = 0;
            int reRuns = 0;
            try (Connection db = connect(); Statement s = db.createStatement()) {
                Map<UUID, int[]> rows = new HashMap<>();
                try (ResultSet rs = s.executeQuery("SELECT id, status, attempts, result IS NOT NULL, progress_steps, "
                        + "lease_owner IS NOT NULL AND status = 'RUNNING' FROM experiment")) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        assertThat(rs.getString(2)).as("job %s terminal, and SUCCEEDED", id).isEqualTo("SUCCEEDED");
                        assertThat(rs.getBoolean(4)).as("job %s has its result", id).isTrue();
                        int expected = 1 + runningAtKill.getOrDefault(id, Set.of()).size();
                        assertThat(rs.getInt(3)).as("attempts of %s: one + the kills that found it running", id)
                                .isEqualTo(expected);
                        reRuns += expected - 1;
                        rows.put(id, new int[] {rs.getInt(5)});
                    }
                }
                jobs = rows.size();
                assertThat(rows.keySet()).as("every acknowledged submission was stored").containsAll(acknowledged);
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM experiment WHERE status = 'RUNNING'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("nothing left RUNNING").isZero();
                }
                // Integrity queries: one row per id and per idempotency key, artifacts and tags of existing jobs,
                // exactly the four artifacts per job, every sweep's children stored with it.
                assertCount(s, "SELECT COUNT(*) - COUNT(DISTINCT id) FROM experiment", 0, "duplicate job ids");
                assertCount(s, "SELECT COUNT(*) FROM (SELECT idempotency_key FROM experiment WHERE idempotency_key "
                        + "IS NOT NULL GROUP BY idempotency_key HAVING COUNT(*) > 1) d", 0, "an idempotency key twice");
                assertCount(s, "SELECT COUNT(*) FROM artifact a LEFT JOIN experiment e ON e.id = a.experiment_id "
                        + "WHERE e.id IS NULL", 0, "artifacts of no job");
                assertCount(s, "SELECT COUNT(*) FROM experiment_tag t LEFT JOIN experiment e ON e.id = t.experiment_id "
                        + "WHERE e.id IS NULL", 0, "tags of no job");
                assertCount(s, "SELECT COUNT(*) FROM (SELECT e.id FROM experiment e LEFT JOIN artifact a "
                        + "ON a.experiment_id = e.id GROUP BY e.id HAVING COUNT(a.name) <> 4) x", 0,
                        "jobs without exactly four artifacts");
                assertCount(s, "SELECT COUNT(*) FROM sweep w WHERE (SELECT COUNT(*) FROM experiment e "
                        + "WHERE e.sweep_id = w.id) <> 2", 0, "sweeps without their two children");
                for (UUID sweep : acknowledgedSweeps) {
                    assertCount(s, "SELECT COUNT(*) FROM sweep WHERE id = '" + sweep + "'", 1, "acknowledged sweep " + sweep);
                }
                try (ResultSet rs = s.executeQuery("SELECT experiment_id, name, content FROM artifact")) {
                    while (rs.next()) {
                        Path folder = exported.resolve(rs.getString(1));
                        Files.createDirectories(folder);
                        Files.write(folder.resolve(rs.getString(2)), rs.getBytes(3));
                    }
                }
                for (Map.Entry<UUID, int[]> e : rows.entrySet()) {
                    Path folder = exported.resolve(e.getKey().toString());
                    Files.writeString(folder.resolve("steps"), Integer.toString(e.getValue()[0]));
                    for (String artifact : ARTIFACTS) {
                        assertThat(folder.resolve(artifact)).as("artifact of %s", e.getKey()).exists();
                    }
                }
            }
            String numpy = readWithNumpy(exported);
            double seconds = (System.nanoTime() - began) / 1e9;
            String report = String.format(
                    "crash test on %s: %d kills (SIGKILL), %d inside a result write, %d while starting; %d starts; "
                            + "%d jobs (%d sweeps), all SUCCEEDED once, %d re-runs counted in attempts; %s; %s; %.0f s",
                    name, kills, killsInsideWrite, killsDuringStart, starts, jobs, acknowledgedSweeps.size(), reRuns,
                    numpy, consistencyCheck, seconds);
            System.out.println(report);
            Files.writeString(Path.of("target", "crash-report-" + name + ".txt"), report + "\n");
            assertThat(kills).isGreaterThanOrEqualTo(KILLS);
            assertThat(killsInsideWrite).as("kills that landed inside a result write").isPositive();
            assertThat(reRuns).as("kills that interrupted running jobs").isPositive();
        }

        String readWithNumpy(Path exported) throws Exception {
            boolean numpy = new ProcessBuilder("python3", "-c", "import numpy").start().waitFor() == 0;
            if (!numpy) {
                assertThat(Boolean.parseBoolean(System.getenv("NTKLAB_REQUIRE_NUMPY")))
                        .as("NTKLAB_REQUIRE_NUMPY is set but python3 with numpy is not installed").isFalse();
                return "NumPy not installed: artifacts not read by it";
            }
            Path script = Path.of("src", "test", "resources", "crash", "check_artifacts.py");
            Process p = new ProcessBuilder("python3", script.toString(), exported.toString()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor()).as("NumPy reading the artifacts: %s", out).isZero();
            return out;
        }
    }

    private static void assertCount(Statement s, String sql, int expected, String what) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            assertThat(rs.getInt(1)).as(what).isEqualTo(expected);
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
