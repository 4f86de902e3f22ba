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
 * @param failure   present once FAILED: the error as a problem detail, with the step of a diverged run
 * @param artifacts download links, once SUCCEEDED, and for a FAILED run that kept what it computed
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
        Map<String, String> artifacts,
        FailureView failure) {

    /**
     * @param step     gradient-descent steps done
     * @param steps    the most steps the experiment will take
     * @param fraction step / steps (1 when ended successfully)
     */
    public record Progress(int step, int steps, double fraction) {
    }

    /**
     * Why an experiment FAILED, shaped like an RFC 9457 problem detail.
     *
     * @param type   {@code /problems/diverged}, {@code /problems/out-of-memory}, {@code /problems/instance-lost},
     *               {@code /problems/result-not-stored} or {@code /problems/run-error}
     * @param title  the kind of failure in words
     * @param detail the error message
     * @param step   for a diverged run, the first step whose loss was NaN or infinite
     */
    public record FailureView(String type, String title, String detail, Integer step) {
    }
}
