package org.ntklab.support;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * For slice tests ({@code @WebMvcTest}): {@code @Import(MockMvcContract.class)} checks every
 * MockMvc exchange against openapi.yaml, as {@link Http} does for a started service
 * ({@link OpenApiContract}).
 */
@TestConfiguration(proxyBeanMethods = false)
public class MockMvcContract {

    @Bean
    MockMvcBuilderCustomizer openApiContract() {
        return builder -> builder.alwaysExpect(result -> {
            MockHttpServletRequest request = result.getRequest();
            MockHttpServletResponse response = result.getResponse();
            String path = request.getRequestURI()
                    + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
            if (!OpenApiContract.covers(path)) {
                return;
            }
            Map<String, List<String>> requestHeaders = new LinkedHashMap<>();
            for (String name : Collections.list(request.getHeaderNames())) {
                requestHeaders.put(name, Collections.list(request.getHeaders(name)));
            }
            Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
            for (String name : response.getHeaderNames()) {
                responseHeaders.put(name, List.copyOf(response.getHeaders(name)));
            }
            OpenApiContract.check(request.getMethod(), path, requestHeaders, request.getContentAsByteArray(),
                    response.getStatus(), responseHeaders, response.getContentAsByteArray());
        });
    }
}
