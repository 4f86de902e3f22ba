package org.ntklab.security;

import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.ntklab.jobs.StorageFailures;
import org.ntklab.tracing.RequestId;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-key token buckets (Bucket4j) on submissions: {@code POST} of {@value #EXPERIMENTS},
 * {@code .../batch}, {@value #SWEEPS} and {@value #DATASETS}. Runs after authorization, so only
 * callers allowed to submit take tokens. Each key has one bucket (its own {@code rate}, else its
 * role's); anonymous callers share the bucket of the name {@code anonymous}. The buckets are in
 * this instance's memory, or with PostgreSQL in the database, shared by every instance
 * ({@link RateLimitBuckets}). They are bounded by the configured keys, so they never grow with traffic.
 *
 * <p>An empty bucket answers 429, type {@code /problems/rate-limited} (distinct from the queue's
 * {@code /problems/queue-full}), with {@code Retry-After}: the whole seconds until a token is back.
 * Refusals are counted in {@code ntklab_rate_limited_total{key}}. When the database holding the
 * buckets cannot be reached, the submission gets the API's 503 {@code /problems/database-unavailable}.
 */
public final class SubmissionRateLimit extends OncePerRequestFilter {

    public static final URI RATE_LIMITED = URI.create("/problems/rate-limited");
    /** As the API's ApiErrors answers an unreachable database. */
    static final URI DATABASE_UNAVAILABLE = URI.create("/problems/database-unavailable");
    static final long DATABASE_RETRY_AFTER_SECONDS = 5;
    static final String EXPERIMENTS = "/api/v1/experiments";
    static final String SWEEPS = "/api/v1/sweeps";
    static final String DATASETS = "/api/v1/datasets";
    private static final Set<String> PATHS = Set.of(EXPERIMENTS, EXPERIMENTS + "/", EXPERIMENTS + "/batch",
            SWEEPS, SWEEPS + "/", DATASETS, DATASETS + "/");

    private final SecurityProperties.RateLimit settings;
    private final JsonMapper json;
    private final MeterRegistry registry;
    private final RateLimitBuckets buckets;

    /** In-memory buckets. @param clock the buckets' time: tests pass a clock they move */
    public SubmissionRateLimit(SecurityProperties.RateLimit settings, JsonMapper json, MeterRegistry registry, Clock clock) {
        this(settings, json, registry, RateLimitBuckets.inMemory(clock));
    }

    /** @param buckets where the buckets live */
    public SubmissionRateLimit(SecurityProperties.RateLimit settings, JsonMapper json, MeterRegistry registry,
            RateLimitBuckets buckets) {
        this.settings = settings;
        this.json = json;
        this.registry = registry;
        this.buckets = buckets;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !settings.enabled() || !"POST".equals(request.getMethod())
                || !PATHS.contains(request.getRequestURI().substring(request.getContextPath().length()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller caller = Caller.current();
        if (caller.name() == null || caller.role() == null) {
            chain.doFilter(request, response);
            return;
        }
        SecurityProperties.Rate rate = rate(caller);
        ConsumptionProbe probe;
        try {
            probe = buckets.of(caller.name(), rate).tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            if (!StorageFailures.unreachable(e)) {
                throw e;
            }
            unavailable(request, response);
            return;
        }
        if (probe.isConsumed()) {
            response.setHeader("RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
            chain.doFilter(request, response);
            return;
        }
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        Counter.builder("ntklab.rate.limited").description("submissions refused with 429 by the per-key rate limit")
                .tag("key", caller.name()).register(registry).increment();
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, caller.describe()
                + " may submit " + rate.capacity() + " times per " + rate.period() + "; retry after " + retryAfter + " s");
        p.setType(RATE_LIMITED);
        p.setTitle("Rate limit exceeded");
        p.setInstance(URI.create(request.getRequestURI()));
        p.setProperty("capacity", rate.capacity());
        p.setProperty("period", rate.period().toString());
        p.setProperty("retryAfterSeconds", retryAfter);
        RequestId.stamp(p);
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(p));
    }

    private void unavailable(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the database holding the rate-limit buckets cannot be reached; retry later");
        p.setType(DATABASE_UNAVAILABLE);
        p.setTitle("Database unavailable");
        p.setInstance(URI.create(request.getRequestURI()));
        p.setProperty("retryAfterSeconds", DATABASE_RETRY_AFTER_SECONDS);
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(DATABASE_RETRY_AFTER_SECONDS));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(p));
    }

    private SecurityProperties.Rate rate(Caller caller) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof ApiKeys.ApiKey key && key.rate() != null) {
            return key.rate();
        }
        return settings.of(caller.role());
    }
}
