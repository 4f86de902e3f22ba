package org.ntklab.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
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
        license = @License(name = "Apache-2.0")),
        servers = @Server(url = "/", description = "this service"))
public class OpenApiConfiguration {

    private static final String PROBLEM = "application/problem+json";
    static final String BEARER = "bearer";
    static final String API_KEY = "apiKey";

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            openApi.getComponents().addSchemas("Problem", new Schema<>().type("object")
                    .description("RFC 9457 problem detail; validation problems add errors: [{field, message}]")
                    .addProperty("type", new Schema<>().type("string"))
                    .addProperty("title", new Schema<>().type("string"))
                    .addProperty("status", new Schema<>().type("integer"))
                    .addProperty("detail", new Schema<>().type("string"))
                    .addProperty("instance", new Schema<>().type("string"))
                    .addProperty("requestId", new Schema<>().type("string").description("the request's X-Request-Id "
                            + "(the one sent, or one generated), also echoed in the response header and in the logs")));
            // API keys (README, "Security"): either header; health, this document and Swagger UI need none
            openApi.getComponents()
                    .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                            .description("Authorization: Bearer <API key>"))
                    .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                            .in(SecurityScheme.In.HEADER).name("X-API-Key").description("X-API-Key: <API key>"));
            openApi.addSecurityItem(new SecurityRequirement().addList(BEARER));
            openApi.addSecurityItem(new SecurityRequirement().addList(API_KEY));
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
                    errors.forEach((status, description) -> e.getValue().getResponses().addApiResponse(status,
                            new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM,
                                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))))));
                }
            });
        };
    }
}
