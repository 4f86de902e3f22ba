package org.ntklab.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import org.springframework.context.annotation.Configuration;

/** The API's description in /v3/api-docs (and the committed openapi.yaml). */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "ntklab", version = "v1",
        description = "Experiments on the linearity of wide networks (Liu, Zhu & Belkin, NeurIPS 2020): tangent-kernel "
                + "change, Hessian spectral norm, weight change and linearisation error under gradient descent. "
                + "Errors are RFC 9457 problem details.",
        license = @License(name = "Apache-2.0")))
public class OpenApiConfiguration {
}
