package org.ntklab.jobs.spec;

/**
 * One reason an {@link ExperimentSpecification} is rejected.
 *
 * @param field   where, as a JSON path relative to the request body: {@code training.steps},
 *                {@code network.hiddenWidths[1]}, {@code data.x[3][0]}, {@code network} for a
 *                rule on a whole object, {@code ""} for the body itself
 * @param message what is wrong, for a person
 */
public record Violation(String field, String message) {
}
