package org.ntklab.jobs.dataset;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored dataset's metadata.
 *
 * @param sha256    hex SHA-256 of the canonical .npz ({@link CanonicalNpz})
 * @param dtype     the stored element type, always {@code float64}
 * @param byteSize  bytes of the canonical .npz
 * @param submittedBy the name of the API key that first uploaded it ({@code anonymous} without one; null
 *                  for datasets stored before keys were recorded)
 */
public record DatasetRecord(UUID id, String name, String sha256, int n, int d, int c, String dtype, long byteSize,
        Instant createdAt, String submittedBy) {
}
