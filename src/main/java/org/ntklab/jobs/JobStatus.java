package org.ntklab.jobs;

/** The life cycle of a job: QUEUED -> RUNNING -> one terminal state. Terminal states never change. */
public enum JobStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
