package org.ntklab.jobs;

/**
 * Why a job ended FAILED, as stored beside its error message.
 *
 * @param kind what went wrong
 * @param step the training step it concerns (a diverged run: the first step whose loss was not finite), or null
 */
public record Failure(Kind kind, Integer step) {

    public Failure {
        java.util.Objects.requireNonNull(kind, "kind");
    }

    public static Failure of(Kind kind) {
        return new Failure(kind, null);
    }

    /** The kinds of failure, each with a problem type and title for the API. */
    public enum Kind {
        /** The training loss became NaN or infinite (usually a learning rate too large). */
        DIVERGED("diverged", "Training diverged"),
        /** The run needed more memory than the instance had. */
        OUT_OF_MEMORY("out-of-memory", "Out of memory"),
        /** The instance running it stopped responding too many times. */
        INSTANCE_LOST("instance-lost", "The instance running it stopped responding"),
        /** The run finished but its result could not be stored. */
        RESULT_NOT_STORED("result-not-stored", "The result could not be stored"),
        /** Any other error while running. */
        ERROR("run-error", "The run failed");

        private final String slug;
        private final String title;

        Kind(String slug, String title) {
            this.slug = slug;
            this.title = title;
        }

        /** The problem type's last path segment, e.g. {@code diverged}. */
        public String slug() {
            return slug;
        }

        public String title() {
            return title;
        }
    }
}
