package org.ntklab.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntklab.support.MutableClock;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import tools.jackson.databind.json.JsonMapper;

/** The token buckets with time moved by hand: burst, refusal, Retry-After, refill, per-key and per-role rates. */
class SubmissionRateLimitTest {

    final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    final SecurityProperties.RateLimit settings = new SecurityProperties.RateLimit(true,
            new SecurityProperties.Rate(3, Duration.ofSeconds(60)), new SecurityProperties.Rate(10, Duration.ofSeconds(60)));
    final SubmissionRateLimit limit = new SubmissionRateLimit(settings, JsonMapper.builder().build(),
            new SimpleMeterRegistry(), clock);

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    void as(String name, Role role, SecurityProperties.Rate rate) {
        SecurityContextHolder.getContext().setAuthentication(
                ApiKeyAuthentication.authenticated(new ApiKeys.ApiKey(name, role, rate)));
    }

    MockHttpServletResponse post(String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        limit.doFilter(request, response, new MockFilterChain());
        return response;
    }

    @Test
    void aBurstOfCapacityThenRefusalsUntilTheBucketRefills() throws Exception {
        as("alice", Role.SUBMITTER, null);
        for (int i = 0; i < 3; i++) {
            assertThat(post("/api/v1/experiments").getStatus()).isEqualTo(200);
        }
        MockHttpServletResponse refused = post("/api/v1/experiments/batch");
        assertThat(refused.getStatus()).isEqualTo(429);
        // 3 tokens per 60 s: one every 20 s
        assertThat(refused.getHeader("Retry-After")).isEqualTo("20");
        assertThat(refused.getContentType()).isEqualTo("application/problem+json");
        assertThat(refused.getContentAsString()).contains("/problems/rate-limited").contains("\"capacity\":3");

        clock.advance(Duration.ofSeconds(19));
        assertThat(post("/api/v1/sweeps").getStatus()).isEqualTo(429);
        assertThat(post("/api/v1/sweeps").getHeader("Retry-After")).isEqualTo("1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(post("/api/v1/sweeps").getStatus()).isEqualTo(200);
        assertThat(post("/api/v1/datasets").getStatus()).isEqualTo(429);
    }

    @Test
    void readsCancelsAndOtherPathsAreNotLimited() throws Exception {
        as("alice", Role.SUBMITTER, new SecurityProperties.Rate(1, Duration.ofHours(1)));
        assertThat(post("/api/v1/experiments").getStatus()).isEqualTo(200);
        assertThat(post("/api/v1/experiments").getStatus()).isEqualTo(429);
        assertThat(post("/api/v1/experiments/" + java.util.UUID.randomUUID() + "/cancel").getStatus()).isEqualTo(200);
        MockHttpServletRequest get = new MockHttpServletRequest("GET", "/api/v1/experiments");
        MockHttpServletResponse response = new MockHttpServletResponse();
        limit.doFilter(get, response, new MockFilterChain());
        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void eachKeyHasItsOwnBucketAndAdminsTheirRolesRate() throws Exception {
        as("alice", Role.SUBMITTER, null);
        for (int i = 0; i < 3; i++) {
            post("/api/v1/experiments");
        }
        assertThat(post("/api/v1/experiments").getStatus()).isEqualTo(429);
        as("bob", Role.SUBMITTER, null);
        assertThat(post("/api/v1/experiments").getStatus()).isEqualTo(200);
        as("root", Role.ADMIN, null);
        for (int i = 0; i < 10; i++) {
            assertThat(post("/api/v1/experiments").getStatus()).isEqualTo(200);
        }
        assertThat(post("/api/v1/experiments").getStatus()).isEqualTo(429);
    }

    @Test
    void anonymousCallersShareOneBucket() throws Exception {
        SecurityContextHolder.getContext().setAuthentication(new AnonymousAuthenticationToken("k",
                SecurityProperties.ANONYMOUS, List.copyOf(Role.SUBMITTER.authorities())));
        for (int i = 0; i < 3; i++) {
            assertThat(post("/api/v1/experiments").getStatus()).isEqualTo(200);
        }
        assertThat(post("/api/v1/experiments").getStatus()).isEqualTo(429);
    }
}
