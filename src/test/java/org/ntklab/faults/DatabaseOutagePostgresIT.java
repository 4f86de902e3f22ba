package org.ntklab.faults;

import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.condition.EnabledIf;
import org.ntklab.support.PostgresDatabase;
import org.ntklab.support.TcpProxy;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The outage on PostgreSQL, reached through the proxy. */
@EnabledIf("org.ntklab.support.PostgresDatabase#available")
class DatabaseOutagePostgresIT extends DatabaseOutageContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        PostgresDatabase.Endpoint db = PostgresDatabase.fresh();
        URI uri = URI.create(db.url().substring("jdbc:".length()));
        proxy = new TcpProxy(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
        String proxied = "jdbc:postgresql://localhost:" + proxy.port() + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        registry.add("spring.datasource.url", () -> proxied);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }
}
