package org.ntklab.security;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.sql.DatabaseMetaData;
import java.time.Clock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's access rules. Stateless: every request carries its key (no sessions, cookies or CSRF
 * tokens, which therefore need no protection).
 *
 * <table>
 * <caption>who may do what</caption>
 * <tr><th>request</th><th>needs</th></tr>
 * <tr><td>{@code /actuator/health/**}, the dashboard's static files ({@code /}, {@code /ui/**},
 *     {@code /webjars/**}), {@code /v3/api-docs/**}, Swagger UI</td><td>nothing</td></tr>
 * <tr><td>any other GET or HEAD, {@code /actuator/prometheus} and {@code /actuator/metrics} included</td>
 *     <td>reader</td></tr>
 * <tr><td>POST of experiments, batches, sweeps, dataset uploads, cancels; DELETE of a dataset</td>
 *     <td>submitter (cancel and delete: of its own, see {@link Caller#requireOwner})</td></tr>
 * <tr><td>anything else</td><td>admin</td></tr>
 * </table>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    private static final String[] OPEN = {"/", "/index.html", "/favicon.ico", "/ui", "/ui/**", "/webjars/**",
            "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html", "/swagger-ui/**"};

    @Bean
    ApiKeys apiKeys(SecurityProperties properties) {
        ApiKeys keys = new ApiKeys(properties.keys());
        properties.anonymous().role().ifPresentOrElse(role -> log.warn("""

                ************************************************************************************
                *  ANONYMOUS ACCESS IS ON: requests without an API key act with the role '{}'.
                *  Fine for one user on a local machine; anywhere else set
                *  ntklab.security.anonymous=off and give each client a key (README, "Security").
                ************************************************************************************""",
                role.label()), () -> {
            if (keys.size() == 0) {
                log.warn("Anonymous access is off and no API keys are configured (ntklab.security.keys): every request "
                        + "but the health probes and static pages will be refused with 401");
            }
        });
        log.info("{} API key(s) configured: {}", keys.size(), keys.keys().stream()
                .map(k -> k.name() + " (" + k.role().label() + ")").toList());
        return keys;
    }

    /** Also keeps Spring Boot from creating its default user and printing a generated password. */
    @Bean
    ApiKeyAuthenticationProvider apiKeyAuthenticationProvider(ApiKeys keys) {
        return new ApiKeyAuthenticationProvider(keys);
    }

    /** Each key's quota of active experiments, for the job services. */
    @Bean
    KeyQuota keyQuota(SecurityProperties properties) {
        return new KeyQuota(properties);
    }

    /**
     * The submission buckets: in PostgreSQL (shared by every instance) when that is the datasource,
     * else in memory.
     */
    @Bean
    RateLimitBuckets rateLimitBuckets(ObjectProvider<DataSource> dataSource, Clock clock) {
        DataSource ds = dataSource.getIfAvailable();
        if (ds != null && postgres(ds)) {
            log.info("submission rate limits are kept in PostgreSQL (table rate_limit_bucket), shared by every instance");
            return RateLimitBuckets.postgres(ds, clock);
        }
        return RateLimitBuckets.inMemory(clock);
    }

    private static boolean postgres(DataSource ds) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(ds, DatabaseMetaData::getDatabaseProductName);
            return product != null && product.toLowerCase(java.util.Locale.ROOT).contains("postgresql");
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("could not tell which database the datasource is: " + e.getMessage(), e);
        }
    }

    @Bean
    AuthProblems authProblems(JsonMapper json, MeterRegistry registry) {
        return new AuthProblems(json, registry);
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, SecurityProperties properties,
            ApiKeyAuthenticationProvider provider, AuthProblems problems, JsonMapper json, MeterRegistry registry,
            RateLimitBuckets buckets) throws Exception {
        AuthenticationFilter keys = new AuthenticationFilter(new ProviderManager(provider), new ApiKeyConverter());
        keys.setSuccessHandler((request, response, authentication) -> { });
        keys.setFailureHandler(problems);
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .addFilterAt(keys, BasicAuthenticationFilter.class)
                .addFilterAfter(new SubmissionRateLimit(properties.rateLimit(), json, registry, buckets),
                        AuthorizationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(a -> a
                        // the request dispatch was authorised; its async (SSE) and error dispatches follow it
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.GET, OPEN).permitAll()
                        .requestMatchers(HttpMethod.GET, "/**").hasAuthority(Role.READER.authority())
                        .requestMatchers(HttpMethod.HEAD, "/**").hasAuthority(Role.READER.authority())
                        .requestMatchers(HttpMethod.POST, "/api/v1/experiments", "/api/v1/experiments/batch",
                                "/api/v1/experiments/*/cancel", "/api/v1/sweeps", "/api/v1/sweeps/*/cancel",
                                "/api/v1/datasets").hasAuthority(Role.SUBMITTER.authority())
                        .requestMatchers(HttpMethod.DELETE, "/api/v1/datasets/*").hasAuthority(Role.SUBMITTER.authority())
                        .anyRequest().hasAuthority(Role.ADMIN.authority()));
        properties.anonymous().role().ifPresentOrElse(
                role -> http.anonymous(a -> a.principal(SecurityProperties.ANONYMOUS).authorities(role.authorities())),
                () -> http.anonymous(AbstractHttpConfigurer::disable));
        return http.build();
    }
}
