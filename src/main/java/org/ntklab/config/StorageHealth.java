package org.ntklab.config;

import java.io.File;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health {@code storage} (in the readiness group): with the embedded H2 file database, DOWN while
 * the directory holding it has less than {@code ntklab.min-free-disk} free, since writes are about
 * to fail there; UP otherwise (a server database's disk is its own server's to watch).
 */
@Component("storage")
public class StorageHealth implements HealthIndicator {

    private static final String H2_FILE = "jdbc:h2:file:";

    private final File directory;
    private final long threshold;

    public StorageHealth(@Value("${spring.datasource.url:}") String url, NtklabProperties properties) {
        this.directory = h2Directory(url);
        this.threshold = properties.minFreeDisk().toBytes();
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
        if (directory == null) {
            return Health.up().withDetail("database", "not a local file").build();
        }
        long free = directory.getUsableSpace();
        Health.Builder health = free < threshold ? Health.down() : Health.up();
        if (free < threshold) {
            health.withDetail("reason", "low disk space: " + free + " bytes free, " + threshold + " required");
        }
        return health.withDetail("path", directory.getPath()).withDetail("free", free)
                .withDetail("threshold", threshold).build();
    }
}
