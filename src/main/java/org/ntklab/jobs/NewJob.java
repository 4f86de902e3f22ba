package org.ntklab.jobs;

import java.util.Map;
import java.util.UUID;

/**
 * What a submission stores: a QUEUED job.
 *
 * @param sweepId    the sweep it belongs to, or null
 * @param sweepIndex its position in the sweep's grid, or null
 * @param overrides  the grid values it takes, as JSON ({"path": value}), or null
 */
public record NewJob(UUID id, String name, String spec, String specHash, String idempotencyKey, String submittedBy,
        Map<String, String> tags, int steps, UUID sweepId, Integer sweepIndex, String overrides) {

    public NewJob {
        tags = Map.copyOf(tags);
    }

    /** A job outside any sweep. */
    public NewJob(UUID id, String name, String spec, String specHash, String idempotencyKey, String submittedBy,
            Map<String, String> tags, int steps) {
        this(id, name, spec, specHash, idempotencyKey, submittedBy, tags, steps, null, null, null);
    }
}
