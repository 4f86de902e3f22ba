package org.ntklab.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.interaction.response.CustomResponseValidator;
import com.atlassian.oai.validator.model.ApiOperation;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks one HTTP exchange against the committed openapi.yaml with Atlassian's
 * openapi-request-validator: the status must be declared for the operation, the body must match
 * the declared media type and schema (an undeclared field fails: objects are closed unless the
 * document says otherwise), declared required headers must be present, and the headers the API
 * itself sets ({@link #API_HEADERS}) must be declared for that status.
 *
 * <p>Only {@code /api/} paths are the document's; anything else (actuator, /ui, /v3/api-docs) is
 * not checked. A request is checked only when the service accepted it (status below 400): tests
 * send invalid requests on purpose, and what must hold then is the problem response.
 */
public final class OpenApiContract {

    /** Headers the API sets on purpose; each must be declared where it appears. */
    static final List<String> API_HEADERS = List.of("Location", "Retry-After", "WWW-Authenticate",
            "Content-Disposition");

    private static volatile OpenApiInteractionValidator validator;

    private OpenApiContract() {
    }

    /** The validator of openapi.yaml at the repository root (the working directory of the tests). */
    public static OpenApiInteractionValidator validator() {
        OpenApiInteractionValidator v = validator;
        if (v == null) {
            synchronized (OpenApiContract.class) {
                v = validator;
                if (v == null) {
                    v = validator = OpenApiInteractionValidator
                            .createForSpecificationUrl(Path.of("openapi.yaml").toAbsolutePath().toUri().toString())
                            .withCustomResponseValidation(new DeclaredHeaders())
                            .build();
                }
            }
        }
        return v;
    }

    /** Whether {@code path} (with or without a query) is one the document describes. */
    public static boolean covers(String path) {
        return path.startsWith("/api/");
    }

    /**
     * Validates one exchange; throws an AssertionError listing every violation.
     *
     * @param pathAndQuery    e.g. {@code /api/v1/experiments?tag=a=b}
     * @param requestHeaders  the headers sent
     * @param requestBody     the body sent, or null
     */
    public static void check(String method, String pathAndQuery, Map<String, List<String>> requestHeaders,
            byte[] requestBody, int status, Map<String, List<String>> responseHeaders, byte[] responseBody) {
        URI uri = URI.create(pathAndQuery);
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        responseHeaders.forEach((name, values) -> {
            if (name != null && !name.startsWith(":")) {
                response.withHeader(name, values);
            }
        });
        if (responseBody != null && responseBody.length > 0) {
            response.withBody(responseBody);
        }
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, uri.getRawPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                request.withQueryParam(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        requestHeaders.forEach(request::withHeader);
        if (requestBody != null && requestBody.length > 0) {
            request.withBody(requestBody);
        }
        ValidationReport report = status < 400
                ? validator().validate(request.build(), response.build())
                : validator().validateResponse(uri.getRawPath(), Request.Method.valueOf(method), response.build());
        if (report.hasErrors()) {
            throw new AssertionError(method + " " + pathAndQuery + " -> " + status + " breaks openapi.yaml:\n"
                    + report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                            .map(m -> "  " + m.getKey() + ": " + m.getMessage() + m.getContext()
                                    .flatMap(ValidationReport.MessageContext::getPointers)
                                    .map(p -> " (at " + p.getInstance() + ", schema " + p.getSchema() + ")").orElse(""))
                            .collect(Collectors.joining("\n")));
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** A response header the API sets must be declared for the response's status. */
    static final class DeclaredHeaders implements CustomResponseValidator {
        @Override
        public ValidationReport validate(Response response, ApiOperation operation) {
            ApiResponse declared = operation.getOperation().getResponses() == null ? null
                    : operation.getOperation().getResponses().get(String.valueOf(response.getStatus()));
            if (declared == null) {
                return ValidationReport.empty(); // the validator itself reports an undeclared status
            }
            ValidationReport report = ValidationReport.empty();
            for (String header : API_HEADERS) {
                boolean sent = !response.getHeaderValues(header).isEmpty();
                boolean documented = declared.getHeaders() != null && declared.getHeaders().keySet().stream()
                        .anyMatch(h -> h.toLowerCase(Locale.ROOT).equals(header.toLowerCase(Locale.ROOT)));
                if (sent && !documented) {
                    report = report.merge(ValidationReport.singleton(ValidationReport.Message.create(
                            "ntklab.response.header.undeclared", "Header '" + header + "' is sent with status "
                                    + response.getStatus() + " but not declared for it").build()));
                }
            }
            return report;
        }
    }
}
