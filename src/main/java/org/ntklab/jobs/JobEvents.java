package org.ntklab.jobs;

import java.time.Duration;
import java.util.UUID;

/** Told of jobs changing on this instance (for metrics and pushed updates). Must be cheap and never throw. */
public interface JobEvents {

    JobEvents NONE = new JobEvents() { };

    /** The job's state or progress may have changed. */
    default void changed(UUID id) {
    }

    /**
     * A job this instance ran has ended here.
     *
     * @param status   SUCCEEDED, FAILED or CANCELLED as written; QUEUED when handed back; null when the lease was lost
     * @param duration from claim to end on this instance
     */
    default void finished(UUID id, JobStatus status, Duration duration) {
    }
}
