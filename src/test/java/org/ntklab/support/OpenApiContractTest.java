package org.ntklab.support;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checker every API test goes through ({@link Http} calls {@link OpenApiContract}) catches
 * what it is there to catch: planted exchanges with an undeclared field, status, header or media
 * type fail; the same exchange as declared passes.
 */
class OpenApiContractTest {

    private static final String ID = "/api/v1/experiments/0b5c2a3e-4f43-4d0e-9a63-2d3f2b7f6a10";
    private static final String VIEW = """
            {"id": "0b5c2a3e-4f43-4d0e-9a63-2d3f2b7f6a10", "name": "first", "status": "QUEUED", "tags": {},
             "progress": {"step": 0, "steps": 500, "fraction": 0.0}, "createdAt": "2026-01-01T00:00:00Z",
             "attempts": 0, "submittedBy": "anonymous", "artifacts": {}%s}""";
    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));

    private static void get(int status, Map<String, List<String>> headers, String body) {
        OpenApiContract.check("GET", ID, Map.of(), null, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDeclaredExchangePasses() {
        assertThatCode(() -> get(200, JSON, VIEW.formatted(""))).doesNotThrowAnyException();
        assertThatCode(() -> get(404, Map.of("Content-Type", List.of("application/problem+json")),
                "{\"type\": \"/problems/not-found\", \"title\": \"Not found\", \"status\": 404, \"detail\": \"no\"}"))
                .doesNotThrowAnyException();
    }

    @Test
    void anUndeclaredFieldFails() {
        assertThatThrownBy(() -> get(200, JSON, VIEW.formatted(", \"colour\": \"blue\"")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("colour");
    }

    @Test
    void aFieldOfTheWrongTypeFails() {
        assertThatThrownBy(() -> get(200, JSON, VIEW.formatted("").replace("\"attempts\": 0", "\"attempts\": \"0\"")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("attempts");
    }

    @Test
    void anUndeclaredStatusFails() {
        assertThatThrownBy(() -> get(202, JSON, VIEW.formatted(""))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("202");
    }

    @Test
    void anUndeclaredApiHeaderFails() {
        assertThatThrownBy(() -> get(200, Map.of("Content-Type", List.of("application/json"),
                "Location", List.of(ID)), VIEW.formatted(""))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Location");
    }

    @Test
    void anUndeclaredMediaTypeFails() {
        assertThatThrownBy(() -> get(200, Map.of("Content-Type", List.of("text/plain")), "QUEUED"))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void aMissingRequiredHeaderFails() {
        assertThatThrownBy(() -> OpenApiContract.check("POST", "/api/v1/experiments",
                Map.of("Content-Type", List.of("application/json")), "{}".getBytes(StandardCharsets.UTF_8), 202, JSON,
                VIEW.formatted("").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Location");
    }
}
