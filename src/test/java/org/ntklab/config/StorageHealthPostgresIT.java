package org.ntklab.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ntklab.support.PostgresDatabase;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.unit.DataSize;

/**
 * Readiness watches a PostgreSQL deployment's storage as it watches the embedded database's disk:
 * DOWN when the space left under ntklab.database-capacity is below ntklab.min-free-disk, and
 * when the database accepts no writes (read-only), UP again when either is over.
 */
class StorageHealthPostgresIT {

    private static final DataSize MIN_FREE = DataSize.ofMegabytes(64);

    static PostgresDatabase.Endpoint db;
    static DriverManagerDataSource dataSource;

    @BeforeAll
    static void database() {
        db = PostgresDatabase.fresh();
        // a new connection per query, so that a database-level setting applies at once
        dataSource = new DriverManagerDataSource(db.url(), db.user(), db.password());
    }

    private static StorageHealth health(DataSize capacity) {
        return new StorageHealth(db.url(), MIN_FREE, capacity, dataSource);
    }

    @Test
    void withoutACapacityItWatchesThatWritesAreAccepted() {
        Health h = health(null).health();
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("database", "PostgreSQL").containsKey("size").doesNotContainKey("free");
        assertThat((Long) h.getDetails().get("size")).isPositive();
    }

    @Test
    void itIsDownWhileTheSpaceLeftUnderTheCapacityIsBelowTheThreshold() {
        long size = (Long) health(null).health().getDetails().get("size");
        Health full = health(DataSize.ofBytes(size + MIN_FREE.toBytes() - 1)).health();
        assertThat(full.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) full.getDetails().get("reason")).startsWith("low space: the database fills ")
                .contains("ntklab.database-capacity");
        Health roomy = health(DataSize.ofBytes(size + MIN_FREE.toBytes() + DataSize.ofMegabytes(8).toBytes())).health();
        assertThat(roomy.getStatus()).isEqualTo(Status.UP);
        assertThat((Long) roomy.getDetails().get("free")).isGreaterThanOrEqualTo(MIN_FREE.toBytes());
    }

    @Test
    void anUnreachableDatabaseIsDownWithTheError() {
        Health h = new StorageHealth("jdbc:postgresql://localhost:1/none", MIN_FREE, null,
                new DriverManagerDataSource("jdbc:postgresql://localhost:1/none?connectTimeout=2", "x", "x")).health();
        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails()).containsKey("error");
    }

    @Test
    void itIsDownWhileTheDatabaseIsReadOnly() throws Exception {
        String name = db.url().substring(db.url().lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password()); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + name + " SET default_transaction_read_only = on");
            try {
                Health h = health(null).health();
                assertThat(h.getStatus()).isEqualTo(Status.DOWN);
                assertThat((String) h.getDetails().get("reason")).startsWith("the database accepts no writes");
            } finally {
                s.execute("ALTER DATABASE " + name + " RESET default_transaction_read_only");
            }
        }
        assertThat(health(null).health().getStatus()).isEqualTo(Status.UP);
    }
}
