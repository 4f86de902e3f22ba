package org.ntklab.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ntklab.jobs.ExperimentExecution;
import org.ntklab.jobs.ExperimentService;
import org.ntklab.jobs.Failure;
import org.ntklab.jobs.Job;
import org.ntklab.jobs.JobStatus;
import org.springframework.stereotype.Component;

/** Turns stored jobs into {@link ExperimentView}s. */
@Component
public class ExperimentViews {

    private final ExperimentService service;

    public ExperimentViews(ExperimentService service) {
        this.service = service;
    }

    public ExperimentView of(Job job) {
        double fraction = job.status() == JobStatus.SUCCEEDED ? 1.0
                : job.progressSteps() == 0 ? 0.0 : Math.min(1.0, (double) job.progressStep() / job.progressSteps());
        Map<String, String> artifacts = null;
        java.util.List<String> names = job.status() == JobStatus.SUCCEEDED ? ExperimentExecution.ARTIFACTS
                : job.status() == JobStatus.FAILED ? service.artifactNames(job.id()) : java.util.List.of();
        if (!names.isEmpty()) {
            artifacts = new LinkedHashMap<>();
            for (String name : names) {
                artifacts.put(name, ExperimentController.PATH + "/" + job.id() + "/artifacts/" + name);
            }
        }
        ExperimentView.FailureView failure = null;
        if (job.status() == JobStatus.FAILED) {
            Failure.Kind kind = job.failure() == null ? Failure.Kind.ERROR : job.failure().kind();
            failure = new ExperimentView.FailureView("/problems/" + kind.slug(), kind.title(), job.error(),
                    job.failure() == null ? null : job.failure().step());
        }
        return new ExperimentView(job.id(), job.name(), job.status(), job.tags(),
                new ExperimentView.Progress(job.progressStep(), job.progressSteps(), fraction), service.spec(job),
                job.createdAt(), job.startedAt(), job.finishedAt(), job.attempts(), job.submittedBy(), job.error(),
                service.report(job).orElse(null), artifacts, failure);
    }
}
