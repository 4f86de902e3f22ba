package org.ntklab.jobs;

import java.util.List;
import java.util.Map;
import org.ntklab.jobs.spec.Violation;

/** Why a submission was refused; each subclass maps to one HTTP status and problem type. */
public abstract sealed class SubmissionException extends RuntimeException {

    SubmissionException(String message) {
        super(message);
    }

    /** The spec breaks one or more rules; nothing was queued. */
    public static final class Invalid extends SubmissionException {
        private final List<Violation> violations;

        public Invalid(List<Violation> violations) {
            super("the experiment spec is invalid: " + violations.size() + " problem(s)");
            this.violations = List.copyOf(violations);
        }

        public List<Violation> violations() {
            return violations;
        }
    }

    /** The queue is at capacity; retry later. */
    public static final class QueueFull extends SubmissionException {
        private final long retryAfterSeconds;
        private final long capacity;

        public QueueFull(long capacity, long retryAfterSeconds) {
            super("the queue holds its maximum of " + capacity + " experiments; retry in " + retryAfterSeconds + " s");
            this.capacity = capacity;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }

        public long capacity() {
            return capacity;
        }
    }

    /** The submitter's queued and running experiments would go over its quota ({@link ActiveJobQuota}). */
    public static final class QuotaExceeded extends SubmissionException {
        private final String submittedBy;
        private final long maxActiveJobs;
        private final long active;
        private final int requested;
        private final String setting;
        private final long retryAfterSeconds;

        public QuotaExceeded(String submittedBy, long maxActiveJobs, long active, int requested, String setting,
                long retryAfterSeconds) {
            super("'" + submittedBy + "' has " + active + " queued or running experiment(s); " + requested
                    + " more would exceed its quota of " + maxActiveJobs + " (" + setting + "); retry when some have ended");
            this.submittedBy = submittedBy;
            this.maxActiveJobs = maxActiveJobs;
            this.active = active;
            this.requested = requested;
            this.setting = setting;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public String submittedBy() {
            return submittedBy;
        }

        public long maxActiveJobs() {
            return maxActiveJobs;
        }

        public long active() {
            return active;
        }

        public int requested() {
            return requested;
        }

        public String setting() {
            return setting;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** The experiment would need more memory than one job may use. */
    public static final class OverMemoryBudget extends SubmissionException {
        private final long estimateBytes;
        private final long budgetBytes;
        private final Map<String, Long> breakdown;
        private final int index;

        public OverMemoryBudget(int index, long estimateBytes, long budgetBytes, Map<String, Long> breakdown) {
            super((index >= 0 ? "experiment [" + index + "] " : "the experiment ") + "would need about "
                    + mib(estimateBytes) + " MiB, over the budget of " + mib(budgetBytes) + " MiB per experiment");
            this.index = index;
            this.estimateBytes = estimateBytes;
            this.budgetBytes = budgetBytes;
            this.breakdown = Map.copyOf(breakdown);
        }

        public long estimateBytes() {
            return estimateBytes;
        }

        public long budgetBytes() {
            return budgetBytes;
        }

        public Map<String, Long> breakdown() {
            return breakdown;
        }

        public int index() {
            return index;
        }

        private static long mib(long bytes) {
            return (bytes + (1 << 20) - 1) >> 20;
        }
    }

    /** The idempotency key was used before with a different body. */
    public static final class IdempotencyConflict extends SubmissionException {
        public IdempotencyConflict(String key) {
            super("the Idempotency-Key '" + key + "' was already used for a different experiment spec");
        }
    }
}
