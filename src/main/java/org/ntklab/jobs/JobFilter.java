package org.ntklab.jobs;

import java.time.Instant;

/**
 * Which jobs a listing returns; null fields do not filter.
 *
 * @param tagKey   with {@code tagValue}: jobs carrying that tag
 * @param name     exact name
 */
public record JobFilter(JobStatus status, String tagKey, String tagValue, String name, Instant createdAfter,
        Instant createdBefore) {

    public static JobFilter none() {
        return new JobFilter(null, null, null, null, null, null);
    }
}
