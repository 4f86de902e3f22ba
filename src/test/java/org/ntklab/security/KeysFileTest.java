package org.ntklab.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntklab.NtklabApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Keys as the Helm chart deploys them: a YAML file imported with spring.config.import, with
 * {@code anonymous: off} written unquoted (YAML reads it as false; it must still mean off).
 */
class KeysFileTest {

    static final String KEY = "file-key-0123456789-0123456789-0123456789";

    @Test
    void keysComeFromAnImportedYamlFile(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.yaml");
        Files.writeString(keys, """
                ntklab:
                  security:
                    anonymous: off
                    keys:
                      - {name: from-file, role: reader, hash: "%s"}
                """.formatted(KeyHash.of(KEY)));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(NtklabApplication.class)
                .run("--spring.config.import=optional:file:" + keys, "--server.port=0", "--spring.main.banner-mode=off",
                        "--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
            assertThat(context.getBean(SecurityProperties.class).anonymous()).isEqualTo(SecurityProperties.Anonymous.OFF);
            String base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/experiments"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            HttpResponse<String> withKey = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/experiments"))
                    .header("X-API-Key", KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(withKey.statusCode()).isEqualTo(200);
        }
    }
}
