package org.ntklab.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.unit.DataSize;

/** The embedded database's storage: the free space of the directory holding its file against the threshold. */
class StorageHealthTest {

    @Test
    void anH2FileDatabaseIsDownWhileItsDirectoryHasLessThanTheThresholdFree(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("ntklab") + ";WRITE_DELAY=0";
        DriverManagerDataSource unused = new DriverManagerDataSource(url, "sa", "");
        long free = dir.toFile().getUsableSpace();
        Health ok = new StorageHealth(url, DataSize.ofMegabytes(1), null, unused).health();
        assertThat(ok.getStatus()).isEqualTo(Status.UP);
        assertThat(ok.getDetails()).containsEntry("database", "embedded H2 file").containsEntry("path", dir.toString());
        Health low = new StorageHealth(url, DataSize.ofBytes(free + DataSize.ofGigabytes(1024).toBytes()), null, unused)
                .health();
        assertThat(low.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) low.getDetails().get("reason")).startsWith("low disk space");
    }

    @Test
    void anInMemoryDatabaseHasNoStorageToWatch() {
        Health h = new StorageHealth("jdbc:h2:mem:x", DataSize.ofMegabytes(64), null,
                new DriverManagerDataSource("jdbc:h2:mem:x", "sa", "")).health();
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("database", "not watched: neither an H2 file nor PostgreSQL");
    }
}
