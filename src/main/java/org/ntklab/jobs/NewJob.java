package org.ntklab.jobs;

import java.util.Map;
import java.util.UUID;

/** What a submission stores: a QUEUED job. */
public record NewJob(UUID id, String name, String spec, String specHash, String idempotencyKey, String submittedBy,
        Map<String, String> tags, int steps) {

    public NewJob {
        tags = Map.copyOf(tags);
    }
}
