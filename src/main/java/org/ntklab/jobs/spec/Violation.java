package org.ntklab.jobs.spec;

/**
 * One reason an {@link ExperimentSpecification} is rejected.
 *
 * @param field   where, as a JSON path relative to the request body: {@code training.steps},
 *                {@code network.hiddenWidths[1]}, {@code data.x[3][0]}, {@code network} for a
 *                rule on a whole object, {@code ""} for the body itself
 * @param message what is wrong, for a person
 * @param limit   the setting whose limit was exceeded, e.g. {@code ntklab.limits.max-width}; null
 *                for violations of the contract itself
 */
public record Violation(String field, String message, String limit) {

    /** A violation of the contract, not of a configurable limit. */
    public Violation(String field, String message) {
        this(field, message, null);
    }

    /** The same violation at another field with another message, keeping the limit. */
    public Violation with(String field, String message) {
        return new Violation(field, message, limit);
    }
}
