package org.ntklab.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's description in /v3/api-docs (and the committed openapi.yaml). Error responses are
 * declared here, once, as problem details, so the document is the same on every start.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "ntklab", version = "v1",
        description = "Experiments on the linearity of wide networks (Liu, Zhu & Belkin, NeurIPS 2020): tangent-kernel "
                + "change, Hessian spectral norm, weight change and linearisation error under gradient descent. "
                + "Errors are RFC 9457 problem details. Requests carry an API key (Authorization: Bearer or "
                + "X-API-Key) unless the service allows anonymous access.",
        license = @License(name = "Apache-2.0", identifier = "Apache-2.0")),
        servers = @Server(url = "/", description = "this service"))
public class OpenApiConfiguration {

    private static final String PROBLEM = "application/problem+json";
    static final String BEARER = "bearer";
    static final String API_KEY = "apiKey";

    /**
     * {@code hessianProbes} entries: a probe object, or a bare index as shorthand for
     * {@code {"index": i}} (ProbeSpec's delegating creator reads both). The object keeps its schema
     * under the name Probe; ProbeSpec becomes the oneOf.
     */
    @Bean
    OpenApiCustomizer probeShorthand() {
        return openApi -> {
            Map<String, Schema> schemas = openApi.getComponents().getSchemas();
            Schema<?> object = schemas.remove("ProbeSpec");
            if (object == null) {
                return;
            }
            schemas.put("Probe", object.description("A Hessian probe: training input index, output (default 0)"));
            schemas.put("ProbeSpec", new Schema<>()
                    .description("A Hessian probe {index, output}, or a bare index i, shorthand for {\"index\": i}")
                    .oneOf(List.of(typed("integer").format("int32").minimum(java.math.BigDecimal.ZERO)
                                    .description("The index of a training input; output 0").example(0),
                            new Schema<>().$ref("#/components/schemas/Probe"))));
            openApi.getComponents().setSchemas(new java.util.TreeMap<>(schemas));
        };
    }

    /**
     * SweepDefinition as swagger-core resolves it on its own: with springdoc's converters, in the
     * OpenAPI 3.0 document, it comes out an empty object (its fields hold Jackson 3 nodes). {@code grid} maps a path to the
     * list of values it takes, each any JSON value; so does a sweep table row's {@code overrides}.
     */
    @Bean
    OpenApiCustomizer sweepDefinition() {
        return openApi -> {
            // swagger-core's own resolver, without the converters springdoc registers
            io.swagger.v3.core.converter.ModelConverterContextImpl context =
                    new io.swagger.v3.core.converter.ModelConverterContextImpl(
                            new io.swagger.v3.core.jackson.ModelResolver(io.swagger.v3.core.util.Json.mapper()));
            context.resolve(new io.swagger.v3.core.converter.AnnotatedType(org.ntklab.jobs.sweep.SweepDefinition.class));
            Schema<?> definition = context.getDefinedModels().get("SweepDefinition");
            Schema<?> grid = (Schema<?>) definition.getProperties().get("grid");
            grid.additionalProperties(typed("array").items(new Schema<>()
                    .description("a value of the path, any JSON")));
            openApi.getComponents().addSchemas("SweepDefinition", definition);
            // and the body of POST /api/v1/sweeps is one (springdoc's converters make it a string)
            PathItem sweeps = openApi.getPaths().get("/api/v1/sweeps");
            if (sweeps != null && sweeps.getPost() != null && sweeps.getPost().getRequestBody() != null) {
                sweeps.getPost().getRequestBody().getContent().values()
                        .forEach(m -> m.setSchema(new Schema<>().$ref("#/components/schemas/SweepDefinition")));
            }
            // a row's overrides: path -> the value this child takes, any JSON (not only objects)
            Schema<?> row = openApi.getComponents().getSchemas().get("Row");
            if (row != null && row.getProperties().get("overrides") instanceof Schema<?> overrides) {
                overrides.additionalProperties(new Schema<>().description("the value of the path, any JSON"));
            }
        };
    }

    /** A schema of one JSON type, written as OpenAPI 3.1 writes it ("type" from types). */
    private static Schema<?> typed(String type) {
        return new Schema<>().type(type).types(java.util.Set.of(type));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            Schema<?> fieldError = typed("object").title("FieldError")
                    .description("One invalid field of a request")
                    .addProperty("field", typed("string")
                            .description("JSON path of the field, e.g. network.hiddenWidths[1]; [i].field in a batch"))
                    .addProperty("message", typed("string"))
                    .addProperty("limit", typed("string")
                            .description("the configuration property that bounds the value, where one does"))
                    .required(List.of("field", "message"));
            openApi.getComponents().addSchemas("Problem", typed("object")
                    .description("RFC 9457 problem detail; validation problems add errors: [{field, message}]")
                    .addProperty("type", typed("string").description("a URI reference, e.g. "
                            + "/problems/invalid-spec"))
                    .addProperty("title", typed("string"))
                    .addProperty("status", typed("integer").format("int32"))
                    .addProperty("detail", typed("string"))
                    .addProperty("instance", typed("string"))
                    .addProperty("errors", typed("array")
                            .description("400: every invalid field")
                            .items(fieldError))
                    .addProperty("index", typed("integer").format("int32")
                            .description("422 of a batch or sweep: the index of the experiment over the budget"))
                    .addProperty("estimateBytes", typed("integer").format("int64")
                            .description("422: the experiment's estimated memory"))
                    .addProperty("budgetBytes", typed("integer").format("int64")
                            .description("422: ntklab.memory-budget"))
                    .addProperty("breakdown", typed("object")
                            .description("422: the estimate by part, in bytes")
                            .additionalProperties(typed("integer").format("int64")))
                    .addProperty("capacity", typed("integer").format("int64")
                            .description("429: the queue's or the rate limit's capacity"))
                    .addProperty("period", typed("string")
                            .description("429 (rate limit): the refill period, ISO-8601"))
                    .addProperty("retryAfterSeconds", typed("integer").format("int64")
                            .description("429 and 503: the Retry-After header's value"))
                    .addProperty("maxBytes", typed("integer").format("int64")
                            .description("413: the body limit"))
                    .addProperty("max", typed("integer").format("int64")
                            .description("413 (dataset): the limit that was exceeded"))
                    .addProperty("limit", typed("string")
                            .description("413: the configuration property of the limit"))
                    .addProperty("setting", typed("string")
                            .description("429 (quota): the setting that bounds the key's active experiments"))
                    .addProperty("maxActiveJobs", typed("integer").format("int64")
                            .description("429 (quota): the key's quota of queued and running experiments"))
                    .addProperty("active", typed("integer").format("int64")
                            .description("429 (quota): the key's queued and running experiments now"))
                    .addProperty("requested", typed("integer").format("int64")
                            .description("429 (quota): the experiments the refused request would add"))
                    .addProperty("requestId", typed("string").description("the request's X-Request-Id "
                            + "(the one sent, or one generated), also echoed in the response header and in the logs")));
            // API keys (README, "Security"): either header; health, this document and Swagger UI need none
            openApi.getComponents()
                    .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                            .description("Authorization: Bearer <API key>"))
                    .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                            .in(SecurityScheme.In.HEADER).name("X-API-Key").description("X-API-Key: <API key>"));
            openApi.addSecurityItem(new SecurityRequirement().addList(BEARER));
            openApi.addSecurityItem(new SecurityRequirement().addList(API_KEY));
            // {}: no key at all, where the service allows anonymous access (its embedded default)
            openApi.addSecurityItem(new SecurityRequirement());
            openApi.getPaths().forEach((path, item) -> {
                for (Map.Entry<PathItem.HttpMethod, Operation> e : item.readOperationsMap().entrySet()) {
                    Map<String, String> errors = new TreeMap<>();
                    errors.put("400", "Invalid request: the problem lists each field");
                    errors.put("500", "Internal error");
                    errors.put("401", "No API key, or an invalid one (WWW-Authenticate: Bearer)");
                    if (e.getKey() != PathItem.HttpMethod.GET) { // every role may read
                        errors.put("403", "The key's role lacks the right, or the job is another key's");
                    }
                    boolean datasets = path.startsWith("/api/v1/datasets");
                    if (path.contains("{id}")) {
                        errors.put("404", datasets ? "No such dataset" : "No such experiment or artifact");
                    }
                    if (datasets && e.getKey() == PathItem.HttpMethod.DELETE) {
                        errors.put("409", "A queued or running experiment uses the dataset");
                    } else if (datasets && e.getKey() == PathItem.HttpMethod.POST) {
                        errors.put("413", "Over ntklab.datasets.max-bytes, max-rows or max-columns");
                        errors.put("429", "Over the key's submission rate (/problems/rate-limited): retry after "
                                + "Retry-After seconds");
                    } else if (e.getKey() == PathItem.HttpMethod.POST) {
                        errors.put("413", "Request body too large");
                        if (path.endsWith("/cancel")) {
                            errors.put("409", "The experiment has already ended");
                        } else {
                            errors.put("409", "Idempotency-Key reused with another spec");
                            errors.put("422", "Over the memory budget: the problem carries the estimate");
                            errors.put("429", "Queue full (/problems/queue-full), over the key's submission rate "
                                    + "(/problems/rate-limited) or over its quota of queued and running experiments "
                                    + "(/problems/quota-exceeded, naming the setting): retry after Retry-After seconds");
                        }
                    }
                    errors.put("503", "The database is unreachable: retry after Retry-After seconds");
                    // writes are refused; an embedded H2 that ran out of space also refuses reads until it reopens
                    errors.put("507", e.getKey() == PathItem.HttpMethod.GET
                            ? "No disk space left for the embedded database, which refuses reads until space is freed"
                            : "No disk space left for the database");
                    if (e.getValue().getRequestBody() != null) {
                        errors.put("415", "A Content-Type the operation does not accept");
                    }
                    errors.forEach((status, description) -> {
                        ApiResponse response = new ApiResponse().description(description).content(new Content()
                                .addMediaType(PROBLEM, new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
                        switch (status) {
                            case "401" -> response.addHeaderObject("WWW-Authenticate", new Header().required(true)
                                    .description("Bearer realm=\"ntklab\"").schema(typed("string")));
                            case "429", "503" -> response.addHeaderObject("Retry-After", new Header().required(true)
                                    .description("seconds").schema(typed("integer").format("int64")));
                            default -> { }
                        }
                        if (status.equals("404") && path.contains("/artifacts/")) {
                            // Spring's reflected-file-download guard, for a name with an extension it does not know
                            response.addHeaderObject("Content-Disposition", new Header().description(
                                    "inline;filename=f.txt, for an artifact name with an unknown extension")
                                    .schema(typed("string")));
                        }
                        e.getValue().getResponses().addApiResponse(status, response);
                    });
                }
            });
        };
    }
}
