package org.ntklab.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ntklab.support.Http;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The committed top-level openapi.yaml is exactly what the running service serves. After an API
 * change, this test writes the served document to target/openapi.yaml: copy it over openapi.yaml.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:openapi;DB_CLOSE_DELAY=-1")
class OpenApiDocumentTest {

    @LocalServerPort
    int port;

    @Test
    void committedDocumentEqualsTheServedOne() throws Exception {
        Http.Response served = new Http("http://localhost:" + port).get("/v3/api-docs.yaml");
        assertThat(served.status()).isEqualTo(200);
        String document = served.text();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "openapi.yaml"), document, StandardCharsets.UTF_8);
        Path committed = Path.of("openapi.yaml");
        assertThat(Files.exists(committed)).as("openapi.yaml at the repository root").isTrue();
        assertThat(document).as("openapi.yaml is stale: cp target/openapi.yaml openapi.yaml")
                .isEqualTo(Files.readString(committed, StandardCharsets.UTF_8));
        assertThat(document).contains("/api/v1/experiments/{id}/events", "/api/v1/experiments/batch", "application/problem+json");
    }
}
