package org.ntklab.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored sweep; its state is its children's.
 *
 * @param definition the sweep definition (base spec, grid, width axis) as JSON
 */
public record SweepRecord(UUID id, String name, String definition, String submittedBy, Instant createdAt,
        boolean cancelRequested) {
}
