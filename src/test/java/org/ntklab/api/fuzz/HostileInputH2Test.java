package org.ntklab.api.fuzz;

import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;

/** Hostile input against the service on the embedded default, H2. */
class HostileInputH2Test extends HostileInputContract {

    @BeforeAll
    static void onH2() {
        start("spring.datasource.url=jdbc:h2:mem:fuzz-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }
}
