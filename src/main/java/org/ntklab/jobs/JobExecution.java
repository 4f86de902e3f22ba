package org.ntklab.jobs;

import java.util.List;
import org.ntklab.core.train.Cancellation;
import org.ntklab.core.train.ProgressListener;

/**
 * Runs one claimed job to completion on the calling thread. Throws
 * {@link org.ntklab.core.train.CancelledException} when cancelled, and any other exception when
 * the job fails (its message becomes the job's error).
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
}
