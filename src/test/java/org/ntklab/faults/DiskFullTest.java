package org.ntklab.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.ntklab.support.Http;
import org.ntklab.support.Tmpfs;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The embedded H2 database's directory runs out of space (a real tmpfs of 48 MiB, filled): readiness
 * reports it, a write is answered with a 507 problem detail naming disk space (never a 500 with
 * a stack trace), and once space is freed everything stored before is still there and writes work again.
 */
@Tag("slow")
@Tag("faults")
@EnabledIf("org.ntklab.support.Tmpfs#available")
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ntklab.workers=1", "ntklab.poll=200ms", "ntklab.min-free-disk=16MB",
        "management.endpoint.health.group.readiness.show-details=always"})
class DiskFullTest {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String SMALL = """
            {"name": "before-the-disk-filled", "seed": 1,
             "network": {"hiddenWidths": [16]}, "data": {"n": 6, "inputDim": 3},
             "training": {"steps": 10}, "measurements": {"kernelEvery": 5}}
            """;

    private static Tmpfs disk;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        disk = Tmpfs.mount("48m");
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + disk.path().resolve("ntklab") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"
                + ";TRACE_LEVEL_FILE=0");
    }

    @AfterAll
    static void unmount() {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void aFullDiskIsAClearProblemAndLosesNothingStored() throws Exception {
        Http http = Http.withConfiguredToken("http://localhost:" + port);
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        String stored = http.post("/api/v1/experiments", SMALL).header("Location");
        JsonNode before = http.awaitTerminal(stored, WAIT);
        assertThat(before.get("status").asString()).isEqualTo("SUCCEEDED");
        byte[] losses = http.get(stored + "/artifacts/losses.csv").body();

        Path filler = disk.path().resolve("filler");
        disk.fill(filler, 1 << 20);
        Http.Response readiness = http.get("/actuator/health/readiness");
        assertThat(readiness.status()).as(readiness.text()).isEqualTo(503);
        assertThat(readiness.text()).contains("low disk space");

        // A 3.2 MB dataset (40000 x 10 float64) cannot be stored in the 1 MiB left.
        Http.Response upload = http.post("/api/v1/datasets?targets=y&name=too-big", csv(40_000, 9),
                "text/csv");
        assertThat(upload.status()).as(upload.text()).isEqualTo(507);
        assertThat(upload.header("Content-Type")).contains("application/problem+json");
        assertThat(upload.json().get("type").asString()).isEqualTo("/problems/insufficient-storage");
        assertThat(upload.json().get("detail").asString()).contains("disk space");
        assertThat(upload.text()).doesNotContain("Exception").doesNotContain("\tat ");

        Files.delete(filler);
        await(() -> http.get("/actuator/health/readiness").status() == 200, "readiness UP once space is freed");
        // Connections opened while the database was closed are dropped as they fail; the service recovers by itself.
        await(() -> http.get(stored).status() == 200, "the database reopened");
        JsonNode after = http.get(stored).json();
        assertThat(after.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(after.get("result")).isEqualTo(before.get("result"));
        assertThat(http.get(stored + "/artifacts/losses.csv").body()).isEqualTo(losses);
        Http.Response retried = http.post("/api/v1/datasets?targets=y&name=too-big", csv(40_000, 9), "text/csv");
        assertThat(retried.status()).as(retried.text()).isEqualTo(201);
        JsonNode again = http.awaitTerminal(http.post("/api/v1/experiments", SMALL).header("Location"), WAIT);
        assertThat(again.get("status").asString()).isEqualTo("SUCCEEDED");
    }

    /** A CSV of {@code rows} random rows: x1..x{columns} and y. */
    private static byte[] csv(int rows, int columns) {
        Random random = new Random(1);
        StringBuilder out = new StringBuilder();
        for (int j = 1; j <= columns; j++) {
            out.append('x').append(j).append(',');
        }
        out.append("y\n");
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j <= columns; j++) {
                out.append(random.nextDouble()).append(j < columns ? ',' : '\n');
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
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
