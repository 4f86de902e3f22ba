package org.ntklab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntklab.core.train.Cancellation;
import org.ntklab.jobs.ExperimentExecution;
import org.ntklab.jobs.ExperimentService;
import org.ntklab.jobs.JobFilter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The request path's warm-up, in the service as it starts (the suite's own warm-up is off). */
@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:request-path-warmup;DB_CLOSE_DELAY=-1")
class RequestPathWarmupTest {

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

        assertThat(service.list(JobFilter.none(), 0, 20).total()).isZero();
        assertThat(meters.find("ntklab.phase").timers()).allSatisfy(t -> assertThat(t.count()).isZero());
    }

    @Test
    void stopsWhenAskedAndLogsAFailureInsteadOfThrowingIt() throws Exception {
        assertThat(warmup.take(() -> true)).isEqualTo(new RequestPathWarmup.Taken(0, 0, 0, 0));

        RequestPathWarmup noConverters = new RequestPathWarmup(service, views, execution, List::of, Clock.systemUTC());
        assertThatThrownBy(() -> noConverters.take(Cancellation.NEVER)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no message converter reads");
        assertThatCode(() -> noConverters.accept(Cancellation.NEVER)).doesNotThrowAnyException();

        RequestPathWarmup noWebLayer = new RequestPathWarmup(service, views, execution, () -> {
            throw new IllegalStateException("no web layer");
        }, Clock.systemUTC());
        assertThatCode(() -> noWebLayer.accept(Cancellation.NEVER)).doesNotThrowAnyException();
    }
}
