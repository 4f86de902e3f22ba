package org.ntklab.api;

import org.ntklab.tracing.RequestId;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Writes the request id into every problem detail the MVC layer answers with ({@link ApiErrors}'
 * own and Spring's built-in ones alike); the filters that answer before it (security, body size,
 * rate limit) stamp theirs with {@link RequestId#stamp}.
 */
@ControllerAdvice
public class ProblemRequestIds implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
        return body instanceof ProblemDetail problem ? RequestId.stamp(problem) : body;
    }
}
