package org.ntklab.jobs.spec;

import java.util.List;

/** An {@link ExperimentSpecification} used where a valid one is needed; carries every violation. */
public final class InvalidSpecificationException extends IllegalArgumentException {

    private final List<Violation> violations;

    public InvalidSpecificationException(List<Violation> violations) {
        super("invalid experiment specification: " + violations.stream()
                .map(v -> v.field() + ": " + v.message()).reduce((a, b) -> a + "; " + b).orElse("(no violation)"));
        this.violations = List.copyOf(violations);
    }

    /** The violations, in {@link ExperimentSpecification#validate} order. */
    public List<Violation> violations() {
        return violations;
    }
}
