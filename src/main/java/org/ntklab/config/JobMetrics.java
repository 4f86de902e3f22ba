package org.ntklab.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.UUID;
import org.ntklab.jobs.JobEvents;
import org.ntklab.jobs.JobStatus;
import org.springframework.stereotype.Component;

/** Job durations and outcomes as Prometheus metrics: {@code ntklab_job_duration_seconds{outcome=...}}. */
@Component
public class JobMetrics implements JobEvents {

    private final MeterRegistry registry;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void finished(UUID id, JobStatus status, Duration duration) {
        String outcome = status == null ? "lease_lost" : status == JobStatus.QUEUED ? "released" : status.name().toLowerCase();
        Timer.builder("ntklab.job.duration").description("time from claim to end of an experiment on this instance")
                .tag("outcome", outcome).register(registry).record(duration);
    }
}
