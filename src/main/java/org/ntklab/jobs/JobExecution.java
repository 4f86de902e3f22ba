package org.ntklab.jobs;

import java.util.List;
import org.ntklab.core.train.Cancellation;
import org.ntklab.core.train.ProgressListener;

/**
 * Runs one claimed job to completion on the calling thread. Throws
 * {@link org.ntklab.core.train.CancelledException} when cancelled, {@link Failed} when the job
 * fails with something worth keeping, and any other exception when it fails otherwise (its
 * message becomes the job's error).
 */
@FunctionalInterface
public interface JobExecution {

    Completed run(Job job, ProgressListener progress, Cancellation cancellation);

    /**
     * @param result    the result document, JSON
     * @param steps     the gradient-descent steps made
     * @param artifacts files stored with the result
     */
    record Completed(String result, int steps, List<Artifact> artifacts) {
        public Completed {
            artifacts = List.copyOf(artifacts);
        }
    }

    /**
     * The job failed, and what it produced before failing is stored with the failure (a diverged
     * run's trajectory up to the step where its loss stopped being finite).
     */
    final class Failed extends RuntimeException {

        private final Failure failure;
        private final transient List<Artifact> artifacts;

        public Failed(Failure failure, String message, List<Artifact> artifacts, Throwable cause) {
            super(message, cause);
            this.failure = failure;
            this.artifacts = List.copyOf(artifacts);
        }

        public Failure failure() {
            return failure;
        }

        public List<Artifact> artifacts() {
            return artifacts;
        }
    }
}
