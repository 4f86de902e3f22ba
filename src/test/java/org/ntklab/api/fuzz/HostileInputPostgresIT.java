package org.ntklab.api.fuzz;

import net.jqwik.api.lifecycle.BeforeContainer;
import org.ntklab.support.PostgresDatabase;

/** Hostile input against the service on a real PostgreSQL (skipped, or failing if required, without one). */
class HostileInputPostgresIT extends HostileInputContract {

    @BeforeContainer
    static void onPostgres() {
        PostgresDatabase.Endpoint db = PostgresDatabase.fresh();
        start("spring.datasource.url=" + db.url(), "spring.datasource.username=" + db.user(),
                "spring.datasource.password=" + db.password());
    }
}
