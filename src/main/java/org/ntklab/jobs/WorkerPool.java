package org.ntklab.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ntklab.core.train.CancelledException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's bounded worker pool and its scheduling loop, free of any framework.
 *
 * <p>One scheduler thread, every {@code poll} interval (or at once after {@link #wake()}):
 * recovers jobs with expired leases, renews the leases of this instance's running jobs
 * (learning of cancellations), and claims QUEUED jobs while a worker is free. Workers run
 * {@link JobExecution}s and write the outcome conditionally on still holding the lease, so a job
 * whose lease was taken over is finished exactly once, by its new holder.
 */
public final class WorkerPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final JobRepository repository;
    private final JobExecution execution;
    private final WorkerSettings settings;
    private final Clock clock;
    private final JobEvents events;
    private final Semaphore freeWorkers;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final Map<UUID, RunningJob> running = new ConcurrentHashMap<>();
    private volatile boolean accepting = true;
    private volatile Instant lastHeartbeat = Instant.MIN;
    /** Consecutive scheduler rounds that failed (only the scheduler thread touches it). */
    private int failedTicks;
    private final java.util.concurrent.atomic.AtomicLong writeRetries = new java.util.concurrent.atomic.AtomicLong();

    /** The first pause before retrying a failed final write, doubled up to {@link #MAX_RETRY_MILLIS}. */
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final long MAX_RETRY_MILLIS = 5_000;

    public WorkerPool(JobRepository repository, JobExecution execution, WorkerSettings settings, Clock clock,
            JobEvents events) {
        this(repository, execution, settings, clock, events, named("ntklab-worker"));
    }

    /** @param workerThreads makes the worker threads (e.g. {@link WorkerThreads}, at a lower priority) */
    public WorkerPool(JobRepository repository, JobExecution execution, WorkerSettings settings, Clock clock,
            JobEvents events, ThreadFactory workerThreads) {
        this.repository = repository;
        this.execution = execution;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
        this.freeWorkers = new Semaphore(settings.workers());
        this.workers = Executors.newFixedThreadPool(settings.workers(), workerThreads);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(named("ntklab-scheduler"));
    }

    /** Starts polling. */
    public void start() {
        long period = settings.poll().toMillis();
        scheduler.scheduleWithFixedDelay(this::safeTick, 0, period, TimeUnit.MILLISECONDS);
    }

    /** Polls now rather than at the next interval (after a local submission or a worker finishing). */
    public void wake() {
        if (!scheduler.isShutdown()) {
            scheduler.execute(this::safeTick);
        }
    }

    /** Asks a job running on this instance to stop at its next step; false if it does not run here. */
    public boolean cancelLocal(UUID id) {
        RunningJob job = running.get(id);
        if (job == null) {
            return false;
        }
        job.stop(StopReason.CANCELLED);
        return true;
    }

    /** The jobs running on this instance, with their progress. */
    public Map<UUID, RunningJob> running() {
        return Map.copyOf(running);
    }

    public int workerCount() {
        return settings.workers();
    }

    public String instanceId() {
        return settings.instanceId();
    }

    private void safeTick() {
        try {
            tick();
            if (failedTicks > 0) {
                log.info("scheduler: the database answers again after {} failed round(s)", failedTicks);
                failedTicks = 0;
            }
        } catch (RuntimeException e) {
            // One warning per outage, not one per poll.
            if (failedTicks++ == 0) {
                log.warn("scheduler tick failed (will retry every {}): {}", settings.poll(), e.toString());
            } else {
                log.debug("scheduler tick failed again: {}", e.toString());
            }
        }
    }

    /**
     * One scheduling round: renew due heartbeats, recover expired leases, claim work for free
     * workers. Exposed so that tests drive the loop without waiting. Heartbeats come first so
     * that, when the database answers again after an outage longer than the lease, this
     * instance's own running jobs (and results waiting to be written) are renewed rather than
     * re-queued by its own recovery.
     */
    public synchronized void tick() {
        Instant now = clock.instant();
        if (!Duration.between(lastHeartbeat, now).minus(settings.heartbeat()).isNegative() || hasStopRequests()) {
            heartbeat(now);
            lastHeartbeat = now;
        }
        for (JobRepository.Recovered lost : repository.recoverExpired(now, settings.maxAttempts())) {
            try (JobLog context = JobLog.of(lost.id(), lost.sweepId(), lost.submittedBy())) {
                switch (lost.status()) {
                    case QUEUED -> log.info("job {} re-queued: the lease of instance {} expired (attempt {} of {})",
                            lost.id(), lost.previousOwner(), lost.attempts(), settings.maxAttempts());
                    case FAILED -> log.info("job {} failed: the lease of instance {} expired on its last attempt ({} of {})",
                            lost.id(), lost.previousOwner(), lost.attempts(), settings.maxAttempts());
                    default -> log.info("job {} cancelled: the lease of instance {} expired after cancellation was requested",
                            lost.id(), lost.previousOwner());
                }
            }
        }
        while (accepting && freeWorkers.tryAcquire()) {
            Optional<Job> claimed;
            try {
                claimed = repository.claimNext(settings.instanceId(), clock.instant(), settings.lease());
            } catch (RuntimeException e) {
                freeWorkers.release();
                throw e;
            }
            if (claimed.isEmpty()) {
                freeWorkers.release();
                return;
            }
            Job job = claimed.get();
            RunningJob handle = new RunningJob(job.id(), job.progressSteps());
            running.put(job.id(), handle);
            events.changed(job.id());
            workers.execute(() -> work(job, handle));
        }
    }

    private boolean hasStopRequests() {
        return running.values().stream().anyMatch(r -> r.stopReason() == StopReason.CANCELLED);
    }

    /** Renews every local lease; a lost lease or a remote cancellation stops the job at its next step. */
    void heartbeat(Instant now) {
        for (RunningJob job : running.values()) {
            JobRepository.Heartbeat beat = repository.heartbeat(job.id(), settings.instanceId(), now, settings.lease(),
                    job.step(), job.steps());
            switch (beat) {
                case CANCEL_REQUESTED -> job.stop(StopReason.CANCELLED);
                case LOST -> job.stop(StopReason.LEASE_LOST);
                case HELD -> { }
                default -> throw new AssertionError(beat);
            }
            events.changed(job.id());
        }
    }

    /** Runs a claimed job on a worker thread, in the job's logging context, logging its claim and its end. */
    private void work(Job job, RunningJob handle) {
        long started = System.nanoTime();
        JobStatus outcome = null;
        try (JobLog context = JobLog.of(job)) {
            log.info("job {} claimed by instance {} on attempt {}{}", job.id(), settings.instanceId(), job.attempts(),
                    job.sweepId() == null ? "" : " (sweep " + job.sweepId() + ", index " + job.sweepIndex() + ")");
            try {
                outcome = execute(job, handle);
            } finally {
                running.remove(job.id());
                freeWorkers.release();
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                logEnd(job, outcome, handle, took);
                events.changed(job.id());
                events.finished(job.id(), outcome, took);
                wake();
            }
        }
    }

    private static void logEnd(Job job, JobStatus outcome, RunningJob handle, Duration took) {
        String seconds = String.format(java.util.Locale.ROOT, "%.3f", took.toNanos() / 1e9);
        if (outcome == null) {
            log.info("job {} ended on this instance after {} s with nothing recorded: {}", job.id(), seconds,
                    handle.unrecorded != null ? handle.unrecorded
                            : "its end could not be written; it is re-queued when its lease expires");
        } else if (outcome == JobStatus.QUEUED) {
            log.info("job {} handed back to the queue after {} s (this instance is shutting down)", job.id(), seconds);
        } else if (outcome == JobStatus.FAILED) {
            log.info("job {} failed after {} s{}", job.id(), seconds, handle.error == null ? "" : ": " + handle.error);
        } else {
            log.info("job {} {} after {} s", job.id(), outcome.name().toLowerCase(java.util.Locale.ROOT), seconds);
        }
    }

    /** Runs a claimed job and records its end; returns the status written, or null when nothing was. */
    private JobStatus execute(Job job, RunningJob handle) {
        String owner = settings.instanceId();
        JobExecution.Completed done;
        try {
            done = execution.run(job, (step, steps, loss) -> handle.progress(step, steps), handle);
        } catch (CancelledException e) {
            return switch (handle.stopReason()) {
                case LEASE_LOST -> {
                    handle.unrecorded = "its lease was lost, so it was stopped";
                    yield null;
                }
                case SHUTDOWN -> write(job, handle, JobStatus.QUEUED, () -> repository.release(job.id(), owner));
                default -> write(job, handle, JobStatus.CANCELLED,
                        () -> repository.end(job.id(), owner, clock.instant(), JobStatus.CANCELLED, null));
            };
        } catch (JobExecution.Failed e) {
            handle.error = e.getMessage();
            return write(job, handle, JobStatus.FAILED,
                    () -> repository.fail(job.id(), owner, clock.instant(), e.failure(), e.getMessage(), e.artifacts()));
        } catch (Throwable e) {
            log.warn("job {} failed", job.id(), e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            Failure.Kind kind = Failure.Kind.ERROR;
            if (e instanceof OutOfMemoryError) {
                message = "out of memory: " + message;
                kind = Failure.Kind.OUT_OF_MEMORY;
            }
            Failure failure = Failure.of(kind);
            String error = message;
            handle.error = message;
            return write(job, handle, JobStatus.FAILED,
                    () -> repository.fail(job.id(), owner, clock.instant(), failure, error, List.of()));
        }
        if (handle.stopReason() == StopReason.LEASE_LOST) {
            handle.unrecorded = "its lease was lost; the result is discarded";
            return null;
        }
        JobStatus written = write(job, handle, JobStatus.SUCCEEDED,
                () -> repository.succeed(job.id(), owner, clock.instant(), done.result(), done.steps(), done.artifacts()));
        if (written == null && handle.stopReason() != StopReason.LEASE_LOST && !stillOurs(job)) {
            handle.unrecorded = "another instance holds it now; the result is discarded";
        }
        return written;
    }

    /**
     * Writes a job's end (one transaction: status, result or error, artifacts), retrying with
     * exponential backoff while the database is unreachable or out of space, for at most
     * {@code writeTimeout}. The running job keeps its place in {@link #running} meanwhile, so the
     * scheduler renews its lease as soon as the database answers again; if the lease is lost
     * (another instance re-queued the job), the write is abandoned and the new holder's run
     * counts. A write that cannot succeed (not a storage failure), or one still failing at the
     * deadline, leaves a result that was computed to the job's lease: it stays RUNNING until
     * the lease expires and is re-queued, so nothing is marked with a wrong status.
     *
     * @return {@code status} when written, null when nothing was
     */
    private JobStatus write(Job job, RunningJob handle, JobStatus status, java.util.function.BooleanSupplier write) {
        long deadline = System.nanoTime() + settings.writeTimeout().toNanos();
        long delayMillis = FIRST_RETRY_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                if (write.getAsBoolean()) {
                    return status;
                }
                if (attempt > 1 && stillOurs(job, status)) {
                    return status; // an earlier attempt committed but its acknowledgement was lost
                }
                return null;
            } catch (RuntimeException e) {
                boolean retry = StorageFailures.retryable(e) && accepting && handle.stopReason() != StopReason.LEASE_LOST
                        && System.nanoTime() + delayMillis * 1_000_000 < deadline;
                if (!retry) {
                    if (status == JobStatus.SUCCEEDED && !StorageFailures.retryable(e)) {
                        return failUnstored(job, e);
                    }
                    log.warn("could not record job {} as {} after {} attempt(s); it stays RUNNING until its lease expires "
                            + "and is then re-queued: {}", job.id(), status, attempt, e.toString());
                    return null;
                }
                writeRetries.incrementAndGet();
                log.warn("could not record job {} as {} (attempt {}), retrying in {} ms: {}", job.id(), status, attempt,
                        delayMillis, e.toString());
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                delayMillis = Math.min(2 * delayMillis, MAX_RETRY_MILLIS);
            }
        }
    }

    /** A result the database refuses for a reason that retrying will not fix: FAILED, saying so. */
    private JobStatus failUnstored(Job job, RuntimeException e) {
        log.error("the result of job {} cannot be stored", job.id(), e);
        try {
            return repository.fail(job.id(), settings.instanceId(), clock.instant(), Failure.of(Failure.Kind.RESULT_NOT_STORED),
                    "the run finished but its result could not be stored: " + e.getMessage(), List.of())
                    ? JobStatus.FAILED : null;
        } catch (RuntimeException again) {
            log.warn("could not record the failure of job {} either (its lease will expire and it will be retried): {}",
                    job.id(), again.toString());
            return null;
        }
    }

    private boolean stillOurs(Job job) {
        return stillOurs(job, JobStatus.RUNNING);
    }

    private boolean stillOurs(Job job, JobStatus status) {
        try {
            return repository.find(job.id())
                    .filter(j -> j.status() == status && settings.instanceId().equals(j.leaseOwner())).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** How many final writes were retried because the database was unreachable or full (a metric). */
    public long writeRetries() {
        return writeRetries.get();
    }

    /**
     * Stops claiming, asks running jobs to stop at their next step and hands them back to the
     * queue, waiting up to {@code grace} for them.
     */
    public void shutdown(Duration grace) {
        accepting = false;
        for (RunningJob job : running.values()) {
            job.stop(StopReason.SHUTDOWN);
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
    }

    /** Shuts down with a 30 s grace unless {@link #shutdown} already ran. */
    @Override
    public void close() {
        if (!workers.isShutdown()) {
            shutdown(Duration.ofSeconds(30));
        }
    }

    /** Why a running job was asked to stop. */
    public enum StopReason {
        NONE,
        CANCELLED,
        LEASE_LOST,
        SHUTDOWN
    }

    /** A job running on this instance: its progress, and the flag its training loop polls. */
    public static final class RunningJob implements org.ntklab.core.train.Cancellation {
        private final UUID id;
        private volatile int step;
        private volatile int steps;
        private volatile StopReason stopReason = StopReason.NONE;
        /** Why the run failed, once it has (for the log line of its end). */
        private volatile String error;
        /** Why the run's end was not recorded here, where that is known (for the log line of its end). */
        private volatile String unrecorded;

        RunningJob(UUID id, int steps) {
            this.id = id;
            this.steps = steps;
        }

        public UUID id() {
            return id;
        }

        public int step() {
            return step;
        }

        public int steps() {
            return steps;
        }

        public StopReason stopReason() {
            return stopReason;
        }

        void progress(int step, int steps) {
            this.step = step;
            this.steps = steps;
        }

        void stop(StopReason reason) {
            if (stopReason == StopReason.NONE) {
                stopReason = reason;
            }
        }

        @Override
        public boolean isCancelled() {
            return stopReason != StopReason.NONE;
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** For tests: the ids running here. */
    List<UUID> runningIds() {
        return List.copyOf(running.keySet());
    }
}
