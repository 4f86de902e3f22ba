package org.ntklab.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.ntklab.jobs.ExperimentService;
import org.ntklab.jobs.JobFilter;
import org.ntklab.jobs.JobStatus;
import org.ntklab.jobs.WorkerPool;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The queue at a glance, for operators and the dashboard. */
@RestController
@RequestMapping("/api/v1/queue")
@Tag(name = "queue", description = "Queued and running experiments, this instance's workers and recent failures")
@Validated
public class QueueController {

    private final ExperimentService experiments;
    private final WorkerPool pool;

    public QueueController(ExperimentService experiments, WorkerPool pool) {
        this.experiments = experiments;
        this.pool = pool;
    }

    /**
     * The queue now.
     *
     * @param queued         QUEUED experiments, all instances
     * @param running        RUNNING experiments, all instances
     * @param failed         FAILED experiments, all time
     * @param instance       the instance that answered
     * @param workers        experiments this instance runs at once
     * @param busyWorkers    of those, running one now
     * @param recentFailures the newest FAILED experiments (by submission), newest first
     */
    public record QueueSummary(long queued, long running, long failed, String instance, int workers, int busyWorkers,
            List<Failure> recentFailures) {
    }

    /** A failed experiment and why. */
    public record Failure(UUID id, String name, String error, Instant finishedAt) {
    }

    @Operation(operationId = "getQueue", summary = "Queued, running and failed counts, this instance's workers and the latest failures")
    @GetMapping
    public QueueSummary summary(@RequestParam(defaultValue = "5") @Min(0) @Max(50) int failures) {
        List<Failure> recent = List.of();
        long failed = count(JobStatus.FAILED);
        if (failures > 0 && failed > 0) {
            recent = experiments.list(filter(JobStatus.FAILED), 0, failures).items().stream()
                    .map(j -> new Failure(j.id(), j.name(), j.error(), j.finishedAt())).toList();
        }
        return new QueueSummary(experiments.queued(), count(JobStatus.RUNNING), failed, pool.instanceId(),
                pool.workerCount(), pool.running().size(), recent);
    }

    private long count(JobStatus status) {
        return experiments.list(filter(status), 0, 1).total();
    }

    private static JobFilter filter(JobStatus status) {
        return new JobFilter(status, null, null, null, null, null, null);
    }
}
