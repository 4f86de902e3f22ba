package org.ntklab.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small JSON-over-HTTP client for end-to-end tests against a started service. Every exchange on
 * an {@code /api/} path is checked against the committed openapi.yaml ({@link OpenApiContract}):
 * an undeclared status, header or field fails the test that made it.
 */
public final class Http {

    private final String base;
    private final String token;
    private final boolean contractCheck;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    public Http(String base) {
        this(base, null);
    }

    /** A client that sends {@code Authorization: Bearer token} with every request (none when token is null or blank). */
    public Http(String base, String token) {
        this(base, token, true);
    }

    private Http(String base, String token, boolean contractCheck) {
        this.base = base;
        this.token = token == null || token.isBlank() ? null : token;
        this.contractCheck = contractCheck;
    }

    /**
     * The same client without the openapi.yaml check, for timed requests only (the load
     * generator): the check's CPU would count in the latency measured.
     */
    public Http withoutContractCheck() {
        return new Http(base, token, false);
    }

    /**
     * A client with the API key of the system property {@code ntklab.test.token}, else of the
     * environment variable {@code NTKLAB_TEST_TOKEN}, else none (anonymous access).
     */
    public static Http withConfiguredToken(String base) {
        return new Http(base, configuredToken());
    }

    /** The API key tests send, from {@code ntklab.test.token} or {@code NTKLAB_TEST_TOKEN}; null for none. */
    public static String configuredToken() {
        String token = System.getProperty("ntklab.test.token");
        return token != null ? token : System.getenv("NTKLAB_TEST_TOKEN");
    }

    /** The Authorization header value, or null. */
    public String authorization() {
        return token == null ? null : "Bearer " + token;
    }

    /** A response with its body parsed as JSON where it is JSON. */
    public record Response(int status, Map<String, java.util.List<String>> headers, byte[] body, JsonNode json) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }

        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public Response get(String path) {
        return get(path, Map.of());
    }

    public Response get(String path, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers, null);
    }

    public Response post(String path, String body) {
        return post(path, body, Map.of());
    }

    public Response post(String path, String body, Map<String, String> headers) {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), headers, bytes);
    }

    /** POSTs raw bytes with the given Content-Type. */
    public Response post(String path, byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), Map.of(), body);
    }

    /** POSTs one file as the multipart/form-data field {@code field}. */
    public Response postMultipart(String path, String field, String filename, byte[] content) {
        String boundary = "ntklab-" + System.nanoTime();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeBytes(head);
        out.writeBytes(content);
        out.writeBytes(tail);
        return post(path, out.toByteArray(), "multipart/form-data; boundary=" + boundary);
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), Map.of(), null);
    }

    private Response send(HttpRequest.Builder request, Map<String, String> headers, byte[] body) {
        if (token != null) {
            request.header("Authorization", authorization());
        }
        headers.forEach(request::header);
        try {
            HttpRequest sent = request.timeout(Duration.ofSeconds(60)).build();
            HttpResponse<byte[]> r = client.send(sent, HttpResponse.BodyHandlers.ofByteArray());
            String pathAndQuery = sent.uri().getRawPath()
                    + (sent.uri().getRawQuery() == null ? "" : "?" + sent.uri().getRawQuery());
            if (contractCheck && OpenApiContract.covers(pathAndQuery)) {
                OpenApiContract.check(sent.method(), pathAndQuery, sent.headers().map(), body, r.statusCode(),
                        r.headers().map(), r.body());
            }
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode node = type.contains("json") && r.body().length > 0 ? json.readTree(r.body()) : null;
            return new Response(r.statusCode(), r.headers().map(), r.body(), node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code path} until its JSON {@code status} is terminal, within {@code timeout}. */
    public JsonNode awaitTerminal(String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = get(path).json();
            String status = job.get("status").asString();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " still " + status + " after " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public HttpClient client() {
        return client;
    }

    public String base() {
        return base;
    }
}
