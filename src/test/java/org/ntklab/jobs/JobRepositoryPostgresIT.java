package org.ntklab.jobs;

import org.junit.jupiter.api.condition.EnabledIf;
import org.ntklab.support.PostgresDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The repository contract on a real PostgreSQL (see {@link PostgresDatabase}). */
@EnabledIf("org.ntklab.support.PostgresDatabase#available")
class JobRepositoryPostgresIT extends JobRepositoryContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
