package org.ntklab.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.ntklab.tracing.RequestId;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refusals as RFC 9457 problem details, the same shape as the API's other errors, each counted
 * in {@code ntklab_auth_failures_total{reason}}:
 * <ul>
 * <li>401 {@code missing}: no key, where one is needed (also an anonymous request that needs more
 *     than the anonymous role), with {@code WWW-Authenticate: Bearer realm="ntklab"};</li>
 * <li>401 {@code invalid}: a key that matches none, or a malformed one, with
 *     {@code error="invalid_token"} in the challenge;</li>
 * <li>403 {@code forbidden}: a valid key whose role lacks the right, or that does not own the job.</li>
 * </ul>
 */
public final class AuthProblems implements AuthenticationEntryPoint, AccessDeniedHandler, AuthenticationFailureHandler {

    public static final URI UNAUTHORIZED = URI.create("/problems/unauthorized");
    public static final URI FORBIDDEN = URI.create("/problems/forbidden");
    static final String METRIC = "ntklab.auth.failures";
    private static final String REALM = "Bearer realm=\"ntklab\"";

    /** Why a request was refused, as the metric's {@code reason} tag writes it. */
    public enum Reason { MISSING, INVALID, FORBIDDEN }

    private final JsonMapper json;
    private final MeterRegistry registry;

    /** Registers the counters at 0, so that they are scraped (and rate() works) before the first refusal. */
    public AuthProblems(JsonMapper json, MeterRegistry registry) {
        this.json = json;
        this.registry = registry;
        for (Reason reason : Reason.values()) {
            counter(reason);
        }
    }

    /** No key (or only the anonymous role) where one is needed. */
    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        write(request, response, HttpStatus.UNAUTHORIZED, REALM, problem(HttpStatus.UNAUTHORIZED, UNAUTHORIZED,
                "Authentication required", "this request needs an API key: send Authorization: Bearer <key> or "
                        + ApiKeyConverter.HEADER + ": <key>"), Reason.MISSING);
    }

    /** A presented key that is wrong or malformed. */
    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException e) throws IOException {
        write(request, response, HttpStatus.UNAUTHORIZED, REALM + ", error=\"invalid_token\"",
                problem(HttpStatus.UNAUTHORIZED, UNAUTHORIZED, "Invalid API key", e.getMessage()), Reason.INVALID);
    }

    /** A valid key without the right for this request. */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(request, response, HttpStatus.FORBIDDEN, null, forbidden(request.getMethod(), request.getRequestURI()),
                Reason.FORBIDDEN);
    }

    /** The 403 problem for a request whose role lacks the right, counted. */
    ProblemDetail forbidden(String method, String path) {
        Caller caller = Caller.current();
        return problem(HttpStatus.FORBIDDEN, FORBIDDEN, "Forbidden",
                caller.describe() + " may not " + method + " " + path);
    }

    /** The 403 problem for a caller that may not act on another's job; counts it. */
    public ProblemDetail notOwner(NotOwnerException e) {
        count(Reason.FORBIDDEN);
        return problem(HttpStatus.FORBIDDEN, FORBIDDEN, "Forbidden", e.getMessage());
    }

    private void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String challenge,
            ProblemDetail problem, Reason reason) throws IOException {
        count(reason);
        problem.setInstance(URI.create(request.getRequestURI()));
        RequestId.stamp(problem);
        response.setStatus(status.value());
        if (challenge != null) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }

    private void count(Reason reason) {
        counter(reason).increment();
    }

    private Counter counter(Reason reason) {
        return Counter.builder(METRIC).description("requests refused with 401 or 403, by reason")
                .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
    }

    static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(type);
        p.setTitle(title);
        return p;
    }
}
