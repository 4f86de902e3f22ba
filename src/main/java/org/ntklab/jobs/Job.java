package org.ntklab.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A persisted experiment job, as stored.
 *
 * @param spec       the experiment spec with defaults filled in, as JSON
 * @param specHash   SHA-256 of the submitted body, for idempotent submission
 * @param leaseOwner the instance that holds (or last held) the job
 * @param result     the result document as JSON, once SUCCEEDED
 * @param sweepId    the sweep it belongs to, or null
 * @param sweepIndex its position in the sweep, or null
 * @param overrides  the sweep's grid values it takes, JSON, or null
 * @param failure    why it failed, once FAILED (null for jobs failed before it was recorded)
 */
public record Job(
        UUID id,
        String name,
        JobStatus status,
        String spec,
        String specHash,
        String idempotencyKey,
        String submittedBy,
        Map<String, String> tags,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        int progressStep,
        int progressSteps,
        int attempts,
        String leaseOwner,
        Instant leaseExpiresAt,
        boolean cancelRequested,
        String error,
        String result,
        UUID sweepId,
        Integer sweepIndex,
        String overrides,
        Failure failure) {

    public Job {
        tags = Map.copyOf(tags);
    }
}
