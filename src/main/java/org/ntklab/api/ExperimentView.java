package org.ntklab.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.ntklab.jobs.ExperimentReport;
import org.ntklab.jobs.JobStatus;
import org.ntklab.jobs.spec.ExperimentSpecification;

/**
 * An experiment as the API shows it.
 *
 * @param spec      the submitted spec with every default filled in
 * @param result    present once SUCCEEDED
 * @param error     present once FAILED
 * @param artifacts download links, once SUCCEEDED
 */
public record ExperimentView(
        UUID id,
        String name,
        JobStatus status,
        Map<String, String> tags,
        Progress progress,
        ExperimentSpecification spec,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        int attempts,
        String submittedBy,
        String error,
        ExperimentReport result,
        Map<String, String> artifacts) {

    /**
     * @param step     gradient-descent steps done
     * @param steps    the most steps the experiment will take
     * @param fraction step / steps (1 when ended successfully)
     */
    public record Progress(int step, int steps, double fraction) {
    }
}
