package org.ntklab.jobs;

/**
 * How many experiments a submitter may have QUEUED or RUNNING at once (all instances together; a
 * sweep's children count one each). The jobs package knows submitters only by the name recorded as
 * {@code submittedBy}; the security configuration says what each name may have.
 */
@FunctionalInterface
public interface ActiveJobQuota {

    /** No submitter has a quota. */
    ActiveJobQuota NONE = submittedBy -> Limit.NONE;

    /**
     * One submitter's quota.
     *
     * @param maxActiveJobs the most active experiments; 0 for no quota
     * @param setting       the setting that gave it, named in a refusal
     */
    record Limit(long maxActiveJobs, String setting) {

        public static final Limit NONE = new Limit(0, "");

        public boolean bounded() {
            return maxActiveJobs > 0;
        }
    }

    /** The quota of {@code submittedBy} (null: an unrecorded caller). */
    Limit of(String submittedBy);
}
