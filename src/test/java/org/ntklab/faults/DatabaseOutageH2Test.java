package org.ntklab.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.UUID;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.ntklab.support.TcpProxy;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The outage on H2 in server mode, reached over TCP through the proxy. */
class DatabaseOutageH2Test extends DatabaseOutageContract {

    private static Server h2;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException, SQLException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        h2 = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
        proxy = new TcpProxy("localhost", port);
        String name = "outage" + UUID.randomUUID().toString().replace("-", "");
        registry.add("spring.datasource.url",
                () -> "jdbc:h2:tcp://localhost:" + proxy.port() + "/mem:" + name + ";DB_CLOSE_DELAY=-1");
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("spring.datasource.password", () -> "");
    }

    @AfterAll
    static void stopH2() {
        if (h2 != null) {
            h2.stop();
        }
    }
}
