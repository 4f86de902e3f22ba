package org.ntklab.api;

import org.junit.jupiter.api.condition.EnabledIf;
import org.ntklab.support.PostgresDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The API end to end on a real PostgreSQL. */
@EnabledIf("org.ntklab.support.PostgresDatabase#available")
class ExperimentApiPostgresIT extends ExperimentApiContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
