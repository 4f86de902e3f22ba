package org.ntklab.api;

import org.junit.jupiter.api.condition.EnabledIf;
import org.ntklab.support.PostgresDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Datasets end to end on a real PostgreSQL. */
@EnabledIf("org.ntklab.support.PostgresDatabase#available")
class DatasetApiPostgresIT extends DatasetApiContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresDatabase.Endpoint db = PostgresDatabase.fresh();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }
}
