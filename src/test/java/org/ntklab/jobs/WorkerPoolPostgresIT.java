package org.ntklab.jobs;

import org.junit.jupiter.api.condition.EnabledIf;
import org.ntklab.support.PostgresDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@EnabledIf("org.ntklab.support.PostgresDatabase#available")
class WorkerPoolPostgresIT extends WorkerPoolContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
