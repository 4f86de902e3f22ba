package org.ntklab.jobs;

import java.time.Instant;

/**
 * Which jobs a listing returns; null fields do not filter.
 *
 * @param tagKey   with {@code tagValue}: jobs carrying that tag
 * @param name        exact name
 * @param submittedBy the name of the API key that submitted them ({@code anonymous} for requests without one)
 */
public record JobFilter(JobStatus status, String tagKey, String tagValue, String name, Instant createdAfter,
        Instant createdBefore, String submittedBy) {

    public static JobFilter none() {
        return new JobFilter(null, null, null, null, null, null, null);
    }
}
