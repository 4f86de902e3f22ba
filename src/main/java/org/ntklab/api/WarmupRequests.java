package org.ntklab.api;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The start-up warm-up's own HTTP requests ({@link RequestPathWarmup}), told apart by the header
 * {@value #HEADER} carrying a token made at start-up (random, never sent anywhere else), so that
 * nothing observes them: no {@code http_server_requests} or {@code spring_security_*} timer counts
 * them. This filter runs ahead of the observation filter and marks the thread while it serves such
 * a request; as an {@link ObservationPredicate} it turns observations off on a marked thread. Any
 * other request, with or without the header, is observed as before.
 */
public final class WarmupRequests extends OncePerRequestFilter implements ObservationPredicate {

    /** The header of the warm-up's requests. */
    public static final String HEADER = "X-Ntklab-Warm-Up";

    private final String token = UUID.randomUUID().toString();
    private final ThreadLocal<Boolean> serving = new ThreadLocal<>();

    /** The value of {@value #HEADER} that marks a warm-up request. */
    String token() {
        return token;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String sent = request.getHeader(HEADER);
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            chain.doFilter(request, response);
            return;
        }
        serving.set(Boolean.TRUE);
        try {
            chain.doFilter(request, response);
        } finally {
            serving.remove();
        }
    }

    /** False (not observed) while this thread serves a warm-up request. */
    @Override
    public boolean test(String name, Observation.Context context) {
        return serving.get() == null;
    }

    /** The filter first of all, ahead of Spring's observation filter; the predicate to the observation registry. */
    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        WarmupRequests warmupRequests() {
            return new WarmupRequests();
        }

        @Bean
        FilterRegistrationBean<WarmupRequests> warmupRequestsFilter(WarmupRequests filter) {
            FilterRegistrationBean<WarmupRequests> registration = new FilterRegistrationBean<>(filter);
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }
}
