package org.ntklab.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.ntklab.support.Http;
import org.ntklab.support.PostgresDatabase;
import org.ntklab.support.TcpProxy;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PostgreSQL goes away (the test cuts the {@link TcpProxy} in front of it) while the pool keeps
 * its default 30 s connection timeout: readiness, {@code /actuator/health} and an API call answer
 * 503 within {@link #FAST} (the API's as a problem detail with {@code Retry-After}), the first
 * round at once and again a second later; when the database returns, all answer 200 again without
 * a restart.
 */
@Tag("faults")
@DirtiesContext
@EnabledIf("org.ntklab.support.PostgresDatabase#available")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ntklab.workers=1")
class DatabaseFailFastPostgresIT {

    /** The bound for a 503 with the database gone: well below the pool's 30 s timeout. */
    private static final Duration FAST = Duration.ofSeconds(2);
    /** How long the service may take to notice the database is back (probe every 0.5 s, pool refill). */
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    private static TcpProxy proxy;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        PostgresDatabase.Endpoint db = PostgresDatabase.fresh();
        URI uri = URI.create(db.url().substring("jdbc:".length()));
        proxy = new TcpProxy(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
        String proxied = "jdbc:postgresql://localhost:" + proxy.port() + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        registry.add("spring.datasource.url", () -> proxied);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }

    @AfterAll
    static void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void withTheDatabaseGoneEverythingAnswers503FastAndRecoversByItself() throws Exception {
        Http http = Http.withConfiguredToken("http://localhost:" + port);
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http.get("/api/v1/experiments").status()).isEqualTo(200);

        proxy.cut();
        allUnavailableWithin(http, FAST); // at once: the requests race the breaker's first failed probe
        Thread.sleep(1000);
        allUnavailableWithin(http, FAST); // and with the outage known

        proxy.restore();
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (http.get("/actuator/health/readiness").status() != 200) {
            assertThat(System.nanoTime()).as("readiness UP again within %s", RECOVERY).isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(http.get("/actuator/health").status()).isEqualTo(200);
        assertThat(http.get("/api/v1/experiments").status()).isEqualTo(200);
    }

    private static void allUnavailableWithin(Http http, Duration bound) {
        CompletableFuture<Timed> readiness = CompletableFuture.supplyAsync(() -> timed(http, "/actuator/health/readiness"));
        CompletableFuture<Timed> health = CompletableFuture.supplyAsync(() -> timed(http, "/actuator/health"));
        CompletableFuture<Timed> api = CompletableFuture.supplyAsync(() -> timed(http, "/api/v1/experiments"));
        for (Timed t : new Timed[] {readiness.join(), health.join(), api.join()}) {
            assertThat(t.response().status()).as("%s: %s", t.path(), t.response().text()).isEqualTo(503);
            assertThat(t.elapsed()).as("%s answered within %s", t.path(), bound).isLessThan(bound);
        }
        Http.Response problem = api.join().response();
        assertThat(problem.header("Content-Type")).contains("application/problem+json");
        assertThat(problem.json().get("type").asString()).isEqualTo("/problems/database-unavailable");
        assertThat(problem.header("Retry-After")).isNotBlank();
    }

    private record Timed(String path, Http.Response response, Duration elapsed) {
    }

    private static Timed timed(Http http, String path) {
        long start = System.nanoTime();
        Http.Response r = http.get(path);
        return new Timed(path, r, Duration.ofNanos(System.nanoTime() - start));
    }
}
