package org.ntklab.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
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
 * callers allowed to submit take tokens. Each key has one bucket on this instance (its own
 * {@code rate}, else its role's); anonymous callers share the bucket of the name {@code anonymous}.
 * The buckets are bounded by the configured keys, so the map never grows with traffic.
 *
 * <p>An empty bucket answers 429, type {@code /problems/rate-limited} (distinct from the queue's
 * {@code /problems/queue-full}), with {@code Retry-After}: the whole seconds until a token is back.
 * Refusals are counted in {@code ntklab_rate_limited_total{key}}.
 */
public final class SubmissionRateLimit extends OncePerRequestFilter {

    public static final URI RATE_LIMITED = URI.create("/problems/rate-limited");
    static final String EXPERIMENTS = "/api/v1/experiments";
    static final String SWEEPS = "/api/v1/sweeps";
    static final String DATASETS = "/api/v1/datasets";
    private static final Set<String> PATHS = Set.of(EXPERIMENTS, EXPERIMENTS + "/", EXPERIMENTS + "/batch",
            SWEEPS, SWEEPS + "/", DATASETS, DATASETS + "/");

    private final SecurityProperties.RateLimit settings;
    private final JsonMapper json;
    private final MeterRegistry registry;
    private final TimeMeter time;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param clock the buckets' time: tests pass a clock they move */
    public SubmissionRateLimit(SecurityProperties.RateLimit settings, JsonMapper json, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.json = json;
        this.registry = registry;
        this.time = new ClockTime(clock);
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
        Bucket bucket = buckets.computeIfAbsent(caller.name(), name -> bucket(rate));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
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

    private SecurityProperties.Rate rate(Caller caller) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof ApiKeys.ApiKey key && key.rate() != null) {
            return key.rate();
        }
        return settings.of(caller.role());
    }

    private Bucket bucket(SecurityProperties.Rate rate) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(rate.capacity()).refillGreedy(rate.capacity(), rate.period()).build())
                .withCustomTimePrecision(time).build();
    }

    /** Bucket4j's time from a {@link Clock}, in nanoseconds since the epoch. */
    private record ClockTime(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
