package org.ntklab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.ntklab.core.train.Cancellation;
import org.ntklab.jobs.ExperimentExecution;
import org.ntklab.jobs.ExperimentService;
import org.ntklab.jobs.JobFilter;
import org.springframework.beans.factory.annotation.Autowired;
import org.ntklab.security.SecurityProperties;
import org.ntklab.support.Http;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.env.MockEnvironment;

/** The request path's warm-up, in the service as it starts (the suite's own warm-up is off). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:request-path-warmup;DB_CLOSE_DELAY=-1")
class RequestPathWarmupTest {

    @LocalServerPort
    int port;

    @Autowired
    RequestPathWarmup warmup;

    @Autowired
    ExperimentService service;

    @Autowired
    ExperimentViews views;

    @Autowired
    ExperimentExecution execution;

    @Autowired
    MeterRegistry meters;

    @Test
    void takesTheWholePathAndLeavesNothingStoredOrCounted() throws Exception {
        RequestPathWarmup.Taken taken = warmup.take(Cancellation.NEVER);

        assertThat(taken.passes()).isEqualTo(RequestPathWarmup.PASSES);
        assertThat(taken.steps()).isEqualTo(4); // the spec's steps: the experiment ran to its end
        assertThat(taken.report()).isPositive();
        // every pass wrote the succeeded view, which holds the report as the result
        assertThat(taken.written()).isGreaterThan((long) RequestPathWarmup.PASSES * taken.report());

        // its GETs reached the service (the test configuration answers anonymous requests, as the default does)
        assertThat(taken.answered()).isEqualTo(2 * RequestPathWarmup.PASSES);

        assertThat(service.list(JobFilter.none(), 0, 20).total()).isZero();
        assertThat(meters.find("ntklab.phase").timers()).allSatisfy(t -> assertThat(t.count()).isZero());
        assertThat(meters.find("http.server.requests").tag("uri", "/api/v1/experiments/{id}").timers()).isEmpty();
        assertThat(meters.find("http.server.requests").tag("uri", "/api/v1/experiments").timers()).isEmpty();

        // the same request from anyone else, even with the header, is observed
        Http.Response other = new Http("http://localhost:" + port).get("/api/v1/experiments/" + UUID.randomUUID(),
                Map.of(WarmupRequests.HEADER, "not-the-token"));
        assertThat(other.status()).isEqualTo(404);
        assertThat(meters.find("http.server.requests").tag("uri", "/api/v1/experiments/{id}").timer())
                .isNotNull().extracting(Timer::count).isEqualTo(1L);
    }

    @Test
    void stopsWhenAskedAndLogsAFailureInsteadOfThrowingIt() throws Exception {
        assertThat(warmup.take(() -> true)).isEqualTo(new RequestPathWarmup.Taken(0, 0, 0, 0, 0));

        RequestPathWarmup noConverters = new RequestPathWarmup(service, views, execution, List::of, Clock.systemUTC(),
                () -> null, "token");
        assertThatThrownBy(() -> noConverters.take(Cancellation.NEVER)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no message converter reads");
        assertThatCode(() -> noConverters.accept(Cancellation.NEVER)).doesNotThrowAnyException();

        RequestPathWarmup noWebLayer = new RequestPathWarmup(service, views, execution, () -> {
            throw new IllegalStateException("no web layer");
        }, Clock.systemUTC(), () -> null, "token");
        assertThatCode(() -> noWebLayer.accept(Cancellation.NEVER)).doesNotThrowAnyException();
    }

    @Test
    void itSendsRequestsOnlyWherePlainHttpAnswersAnonymousOnes() {
        SecurityProperties anonymousReader = security(SecurityProperties.Anonymous.READER);
        assertThat(RequestPathWarmup.self(new MockEnvironment(), anonymousReader)).isNull(); // no server
        MockEnvironment listening = new MockEnvironment().withProperty("local.server.port", "8123");
        assertThat(RequestPathWarmup.self(listening, anonymousReader)).hasToString("http://127.0.0.1:8123");
        assertThat(RequestPathWarmup.self(listening, security(SecurityProperties.Anonymous.OFF))).isNull();
        assertThat(RequestPathWarmup.self(new MockEnvironment().withProperty("local.server.port", "8123")
                .withProperty("server.ssl.enabled", "true"), anonymousReader)).isNull();
        assertThat(RequestPathWarmup.self(new MockEnvironment().withProperty("local.server.port", "8123")
                .withProperty("server.address", "0.0.0.0").withProperty("server.servlet.context-path", "/ntk"),
                anonymousReader)).hasToString("http://127.0.0.1:8123/ntk");
    }

    private static SecurityProperties security(SecurityProperties.Anonymous anonymous) {
        return new SecurityProperties(anonymous, List.of(), new SecurityProperties.RateLimit(false, null, null));
    }
}
