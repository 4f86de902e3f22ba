package org.ntklab.config;

import java.io.File;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Health {@code storage} (in the readiness group): whether the database, which holds the jobs,
 * their results and artifacts and the uploaded datasets alike, can take the next writes.
 * <ul>
 * <li>The embedded H2 file database: DOWN while the directory holding it has less than
 *     {@code ntklab.min-free-disk} free, since writes are about to fail there.</li>
 * <li>PostgreSQL: DOWN while it accepts no writes (a read-only standby after a fail-over, or
 *     {@code default_transaction_read_only} set, as operators do on a filling disk), and, where
 *     {@code ntklab.database-capacity} says how much it may fill, while that capacity less the
 *     database's size ({@code pg_database_size}) is under {@code ntklab.min-free-disk}; the
 *     server's disk itself is not visible to a client.</li>
 * </ul>
 * An unreachable database makes it DOWN too (with the error), as it does the {@code db} check.
 */
@Component("storage")
public class StorageHealth implements HealthIndicator {

    private static final String H2_FILE = "jdbc:h2:file:";
    private static final String POSTGRESQL = "jdbc:postgresql:";

    private final File directory;
    private final boolean postgres;
    private final long threshold;
    private final DataSize capacity;
    private final JdbcClient jdbc;

    @Autowired
    public StorageHealth(@Value("${spring.datasource.url:}") String url, NtklabProperties properties,
            DataSource dataSource) {
        this(url, properties.minFreeDisk(), properties.databaseCapacity(), dataSource);
    }

    /** @param capacity null where not known */
    StorageHealth(String url, DataSize minFreeDisk, DataSize capacity, DataSource dataSource) {
        this.directory = h2Directory(url);
        this.postgres = url != null && url.startsWith(POSTGRESQL);
        this.threshold = minFreeDisk.toBytes();
        this.capacity = capacity;
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** The directory of an H2 file database URL, or null for any other database. */
    static File h2Directory(String url) {
        if (url == null || !url.startsWith(H2_FILE)) {
            return null;
        }
        String path = url.substring(H2_FILE.length());
        int options = path.indexOf(';');
        if (options >= 0) {
            path = path.substring(0, options);
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        Path parent = Path.of(path).toAbsolutePath().normalize().getParent();
        return parent == null ? null : parent.toFile();
    }

    @Override
    public Health health() {
        if (directory != null) {
            return embedded();
        }
        if (postgres) {
            try {
                return server();
            } catch (RuntimeException e) { // unreachable: DOWN with the error, as the db check says
                return Health.down(e).withDetail("database", "PostgreSQL").build();
            }
        }
        return Health.up().withDetail("database", "not watched: neither an H2 file nor PostgreSQL").build();
    }

    private Health embedded() {
        long free = directory.getUsableSpace();
        Health.Builder health = free < threshold ? Health.down() : Health.up();
        if (free < threshold) {
            health.withDetail("reason", "low disk space: " + free + " bytes free, " + threshold + " required");
        }
        return health.withDetail("database", "embedded H2 file").withDetail("path", directory.getPath())
                .withDetail("free", free).withDetail("threshold", threshold).build();
    }

    private Health server() {
        boolean readOnly = "on".equals(jdbc.sql("SELECT current_setting('transaction_read_only')").query(String.class)
                .single());
        long size = jdbc.sql("SELECT pg_database_size(current_database())").query(Long.class).single();
        Health.Builder health = Health.up().withDetail("database", "PostgreSQL").withDetail("size", size);
        if (capacity != null) {
            long free = capacity.toBytes() - size;
            health.withDetail("capacity", capacity.toBytes()).withDetail("free", free).withDetail("threshold", threshold);
            if (free < threshold) {
                health.down().withDetail("reason", "low space: the database fills " + size + " of its " + capacity.toBytes()
                        + " bytes (ntklab.database-capacity), " + free + " free, " + threshold + " required");
            }
        }
        if (readOnly) {
            health.down().withDetail("reason", "the database accepts no writes (transaction_read_only is on: a "
                    + "read-only standby, or default_transaction_read_only set)");
        }
        return health.build();
    }
}
