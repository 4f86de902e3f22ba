package org.ntklab.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * @param workers      jobs run at once on this instance
 * @param lease        how long a claim holds without a heartbeat; another instance re-queues the job after it
 * @param heartbeat    how often running jobs renew their lease and learn of cancellation (well below {@code lease})
 * @param poll         how often the queue is polled for work and expired leases
 * @param maxAttempts  claims per job before an expired lease fails it
 * @param instanceId   this instance's name in lease_owner
 * @param writeTimeout how long a job's final write (result, failure) is retried while the database is unreachable
 *                     or out of space, before the job is left to lease recovery
 */
public record WorkerSettings(int workers, Duration lease, Duration heartbeat, Duration poll, int maxAttempts,
        String instanceId, Duration writeTimeout) {

    /** The default final-write retry: five minutes. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofMinutes(5);

    public WorkerSettings(int workers, Duration lease, Duration heartbeat, Duration poll, int maxAttempts,
            String instanceId) {
        this(workers, lease, heartbeat, poll, maxAttempts, instanceId, DEFAULT_WRITE_TIMEOUT);
    }

    public WorkerSettings {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        if (heartbeat.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("the heartbeat interval (" + heartbeat + ") must be shorter than the lease ("
                    + lease + ")");
        }
    }
}
