package org.ntklab.jobs.dataset;

/** Why a dataset request was refused; each subclass maps to one HTTP status and problem type. */
public abstract sealed class DatasetException extends RuntimeException {

    DatasetException(String message) {
        super(message);
    }

    /** The upload is not a valid dataset: malformed, missing arrays, non-finite or non-numeric values (400). */
    public static final class Invalid extends DatasetException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** The upload exceeds a configured limit: bytes, rows or columns (413). */
    public static final class TooLarge extends DatasetException {
        private final String limit;
        private final long max;

        public TooLarge(String limit, long max, String message) {
            super(message);
            this.limit = limit;
            this.max = max;
        }

        /** The property that was exceeded, e.g. {@code ntklab.datasets.max-bytes}. */
        public String limit() {
            return limit;
        }

        public long max() {
            return max;
        }
    }

    /** The dataset is used by a queued or running experiment and cannot be deleted (409). */
    public static final class InUse extends DatasetException {
        public InUse(String message) {
            super(message);
        }
    }
}
