package org.ntklab.jobs;

import java.util.UUID;
import org.slf4j.MDC;

/**
 * The logging context of one job: while open, everything the thread logs carries the job's id,
 * its sweep's id and the name of the API key that submitted it in the MDC (as {@code jobId},
 * {@code sweepId}, {@code apiKey}), which the structured (JSON) logs write as fields, so that an
 * operator can follow one job by its id. Closing restores what the thread had before.
 */
public final class JobLog implements AutoCloseable {

    public static final String JOB_ID = "jobId";
    public static final String SWEEP_ID = "sweepId";
    public static final String API_KEY = "apiKey";

    private static final String[] KEYS = {JOB_ID, SWEEP_ID, API_KEY};

    private final String[] previous = new String[KEYS.length];

    private JobLog(UUID id, UUID sweepId, String submittedBy) {
        for (int i = 0; i < KEYS.length; i++) {
            previous[i] = MDC.get(KEYS[i]);
        }
        put(JOB_ID, id == null ? null : id.toString());
        put(SWEEP_ID, sweepId == null ? null : sweepId.toString());
        put(API_KEY, submittedBy);
    }

    /** Opens the context of {@code job} on the calling thread. */
    public static JobLog of(Job job) {
        return new JobLog(job.id(), job.sweepId(), job.submittedBy());
    }

    /** Opens the context of a job known by its id, sweep and submitter. */
    public static JobLog of(UUID id, UUID sweepId, String submittedBy) {
        return new JobLog(id, sweepId, submittedBy);
    }

    @Override
    public void close() {
        for (int i = 0; i < KEYS.length; i++) {
            put(KEYS[i], previous[i]);
        }
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
