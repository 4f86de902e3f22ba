package org.ntklab.api.fuzz;

import org.junit.jupiter.api.BeforeAll;
import org.ntklab.support.PostgresDatabase;

/** Hostile input against the service on a real PostgreSQL (skipped, or failing if required, without one). */
class HostileInputPostgresIT extends HostileInputContract {

    @BeforeAll
    static void onPostgres() {
        PostgresDatabase.Endpoint db = PostgresDatabase.fresh();
        start("spring.datasource.url=" + db.url(), "spring.datasource.username=" + db.user(),
                "spring.datasource.password=" + db.password());
    }
}
