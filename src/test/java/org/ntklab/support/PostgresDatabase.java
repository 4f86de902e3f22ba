package org.ntklab.support;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for tests: a Testcontainers container where a Docker engine answers, else
 * the local server named by {@code NTKLAB_TEST_POSTGRES_URL} (a JDBC URL of an administrative
 * database such as {@code jdbc:postgresql://localhost:5432/postgres}) with
 * {@code NTKLAB_TEST_POSTGRES_USER} and {@code NTKLAB_TEST_POSTGRES_PASSWORD}. With neither, the
 * test is skipped, unless {@code NTKLAB_REQUIRE_POSTGRES=true} (CI sets it), when it fails.
 *
 * <p>Every call to {@link #fresh()} creates a new, empty database, so test classes never see
 * each other's rows.
 */
public final class PostgresDatabase {

    /** Connection settings of one fresh database. */
    public record Endpoint(String url, String user, String password) {
    }

    private static PostgreSQLContainer container;

    private PostgresDatabase() {
    }

    /**
     * For {@code @EnabledIf}: whether a PostgreSQL can be had. With {@code NTKLAB_REQUIRE_POSTGRES=true}
     * and none, this throws, so the suite fails instead of skipping.
     */
    public static boolean available() {
        boolean available = System.getenv("NTKLAB_TEST_POSTGRES_URL") != null || dockerAvailable();
        if (!available && Boolean.parseBoolean(System.getenv("NTKLAB_REQUIRE_POSTGRES"))) {
            throw new IllegalStateException("NTKLAB_REQUIRE_POSTGRES is set but there is no PostgreSQL: "
                    + "set NTKLAB_TEST_POSTGRES_URL (and _USER, _PASSWORD) or run a Docker engine");
        }
        return available;
    }

    /** Points a Spring test context at a fresh database: call from a {@code @DynamicPropertySource}. */
    public static void register(org.springframework.test.context.DynamicPropertyRegistry registry) {
        Endpoint db = fresh();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }

    public static synchronized Endpoint fresh() {
        String admin = System.getenv("NTKLAB_TEST_POSTGRES_URL");
        String user = System.getenv().getOrDefault("NTKLAB_TEST_POSTGRES_USER", "postgres");
        String password = System.getenv().getOrDefault("NTKLAB_TEST_POSTGRES_PASSWORD", "");
        if (admin == null) {
            if (dockerAvailable()) {
                if (container == null) {
                    container = new PostgreSQLContainer("postgres:15-alpine");
                    container.start();
                }
                admin = container.getJdbcUrl();
                user = container.getUsername();
                password = container.getPassword();
            } else {
                String message = "no PostgreSQL: set NTKLAB_TEST_POSTGRES_URL (and _USER, _PASSWORD) or run a Docker engine";
                if (Boolean.parseBoolean(System.getenv("NTKLAB_REQUIRE_POSTGRES"))) {
                    throw new IllegalStateException(message);
                }
                Assumptions.abort(message);
            }
        }
        String name = "ntklab_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (java.sql.Connection c = DriverManager.getConnection(admin, user, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test database on " + admin + ": " + e.getMessage(), e);
        }
        int slash = admin.lastIndexOf('/');
        int query = admin.indexOf('?', slash);
        String url = admin.substring(0, slash + 1) + name + (query < 0 ? "" : admin.substring(query));
        return new Endpoint(url, user, password);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
