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
                + "Errors are RFC 9457 problem details.",
        license = @License(name = "Apache-2.0")),
        servers = @Server(url = "/", description = "this service"))
public class OpenApiConfiguration {

    private static final String PROBLEM = "application/problem+json";

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            openApi.getComponents().addSchemas("Problem", new Schema<>().type("object")
                    .description("RFC 9457 problem detail; validation problems add errors: [{field, message}]")
                    .addProperty("type", new Schema<>().type("string"))
                    .addProperty("title", new Schema<>().type("string"))
                    .addProperty("status", new Schema<>().type("integer"))
                    .addProperty("detail", new Schema<>().type("string"))
                    .addProperty("instance", new Schema<>().type("string")));
            openApi.getPaths().forEach((path, item) -> {
                for (Map.Entry<PathItem.HttpMethod, Operation> e : item.readOperationsMap().entrySet()) {
                    Map<String, String> errors = new TreeMap<>();
                    errors.put("400", "Invalid request: the problem lists each field");
                    errors.put("500", "Internal error");
                    boolean datasets = path.startsWith("/api/v1/datasets");
                    if (path.contains("{id}")) {
                        errors.put("404", datasets ? "No such dataset" : "No such experiment or artifact");
                    }
                    if (datasets && e.getKey() == PathItem.HttpMethod.DELETE) {
                        errors.put("409", "A queued or running experiment uses the dataset");
                    } else if (datasets && e.getKey() == PathItem.HttpMethod.POST) {
                        errors.put("413", "Over ntklab.datasets.max-bytes, max-rows or max-columns");
                    } else if (e.getKey() == PathItem.HttpMethod.POST) {
                        errors.put("413", "Request body too large");
                        if (path.endsWith("/cancel")) {
                            errors.put("409", "The experiment has already ended");
                        } else {
                            errors.put("409", "Idempotency-Key reused with another spec");
                            errors.put("422", "Over the memory budget: the problem carries the estimate");
                            errors.put("429", "Queue full: retry after Retry-After seconds");
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
