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
import org.ntklab.core.train.DivergedException;
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

    public WorkerPool(JobRepository repository, JobExecution execution, WorkerSettings settings, Clock clock,
            JobEvents events) {
        this.repository = repository;
        this.execution = execution;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
        this.freeWorkers = new Semaphore(settings.workers());
        this.workers = Executors.newFixedThreadPool(settings.workers(), named("ntklab-worker"));
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
        } catch (RuntimeException e) {
            log.warn("scheduler tick failed (will retry): {}", e.toString());
        }
    }

    /**
     * One scheduling round: recover expired leases, renew due heartbeats, claim work for free
     * workers. Exposed so that tests drive the loop without waiting.
     */
    public synchronized void tick() {
        Instant now = clock.instant();
        repository.recoverExpired(now, settings.maxAttempts());
        if (!Duration.between(lastHeartbeat, now).minus(settings.heartbeat()).isNegative() || hasStopRequests()) {
            heartbeat(now);
            lastHeartbeat = now;
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

    private void work(Job job, RunningJob handle) {
        long started = System.nanoTime();
        JobStatus outcome = null;
        try {
            outcome = execute(job, handle);
        } finally {
            running.remove(job.id());
            freeWorkers.release();
            events.changed(job.id());
            events.finished(job.id(), outcome, Duration.ofNanos(System.nanoTime() - started));
            wake();
        }
    }

    /** Runs a claimed job and records its end; returns the status written, or null when nothing was. */
    private JobStatus execute(Job job, RunningJob handle) {
        String owner = settings.instanceId();
        try {
            JobExecution.Completed done = execution.run(job, (step, steps, loss) -> handle.progress(step, steps), handle);
            if (handle.stopReason() == StopReason.LEASE_LOST) {
                log.info("job {} finished after its lease was lost; its result is discarded", job.id());
                return null;
            }
            if (!repository.succeed(job.id(), owner, clock.instant(), done.result(), done.steps(), done.artifacts())) {
                log.info("job {} finished but is no longer held by this instance; result discarded", job.id());
                return null;
            }
            return JobStatus.SUCCEEDED;
        } catch (CancelledException e) {
            return switch (handle.stopReason()) {
                case LEASE_LOST -> null;
                case SHUTDOWN -> repository.release(job.id(), owner) ? JobStatus.QUEUED : null;
                default -> repository.end(job.id(), owner, clock.instant(), JobStatus.CANCELLED, null)
                        ? JobStatus.CANCELLED : null;
            };
        } catch (DivergedException e) {
            return repository.end(job.id(), owner, clock.instant(), JobStatus.FAILED, e.getMessage())
                    ? JobStatus.FAILED : null;
        } catch (Throwable e) {
            log.warn("job {} failed", job.id(), e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof OutOfMemoryError) {
                message = "out of memory: " + message;
            }
            try {
                return repository.end(job.id(), owner, clock.instant(), JobStatus.FAILED, message) ? JobStatus.FAILED : null;
            } catch (RuntimeException writeFailure) {
                log.warn("could not record the failure of job {} (its lease will expire and it will be retried): {}",
                        job.id(), writeFailure.toString());
                return null;
            }
        }
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
