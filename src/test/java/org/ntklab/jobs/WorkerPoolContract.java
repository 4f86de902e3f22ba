package org.ntklab.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntklab.support.MutableClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The worker pool against a real database: two pools play two instances sharing it, a test
 * clock moves leases, and executions are scripted (the engine itself is tested elsewhere).
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import(JobRepository.class)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
abstract class WorkerPoolContract {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    JobRepository repository;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private WorkerPool a;
    private WorkerPool b;

    @BeforeEach
    void empty() {
        jdbc.sql("DELETE FROM experiment").update();
    }

    @AfterEach
    void stop() {
        for (WorkerPool p : new WorkerPool[] {a, b}) {
            if (p != null) {
                p.shutdown(Duration.ofSeconds(5));
            }
        }
    }

    private WorkerPool pool(String instance, JobExecution execution) {
        return new WorkerPool(repository, execution, new WorkerSettings(1, LEASE, Duration.ofSeconds(5),
                Duration.ofHours(1), 3, instance), clock, JobEvents.NONE);
    }

    private UUID submit() {
        UUID id = UUID.randomUUID();
        repository.insertAll(List.of(new NewJob(id, "job", "{}", "h", null, null, Map.of(), 10)), clock.instant());
        return id;
    }

    private static JobExecution.Completed completed(String by) {
        return new JobExecution.Completed("{\"by\":\"" + by + "\"}", 10,
                List.of(new Artifact("trajectory.csv", "text/csv", by.getBytes(StandardCharsets.UTF_8))));
    }

    /** An execution that signals {@code started}, then spins until its job is asked to stop. */
    private static JobExecution untilCancelled(CountDownLatch started) {
        return (job, progress, cancel) -> {
            started.countDown();
            while (true) {
                cancel.check();
                Thread.onSpinWait();
            }
        };
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(10);
        }
    }

    private JobStatus status(UUID id) {
        return repository.find(id).orElseThrow().status();
    }

    @Test
    void aJobRunsAndItsResultIsStored() throws Exception {
        UUID id = submit();
        a = pool("a", (job, progress, cancel) -> {
            progress.onStep(10, 10, 0.1);
            return completed("a");
        });
        a.tick();
        await(() -> status(id) == JobStatus.SUCCEEDED);
        Job job = repository.find(id).orElseThrow();
        assertThat(job.result()).isEqualTo("{\"by\":\"a\"}");
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(repository.artifactNames(id)).containsExactly("trajectory.csv");
    }

    @Test
    void aJobWhoseInstanceDiedIsRequeuedAfterItsLeaseAndFinishedExactlyOnce() throws Exception {
        UUID id = submit();
        CountDownLatch aStarted = new CountDownLatch(1);
        CountDownLatch aMayFinish = new CountDownLatch(1);
        // Instance a claims the job and then stops responding: it never heartbeats again.
        a = pool("a", (job, progress, cancel) -> {
            aStarted.countDown();
            try {
                aMayFinish.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return completed("a");
        });
        AtomicInteger runsOnB = new AtomicInteger();
        b = pool("b", (job, progress, cancel) -> {
            runsOnB.incrementAndGet();
            return completed("b");
        });
        a.tick();
        assertThat(aStarted.await(10, TimeUnit.SECONDS)).isTrue();
        b.tick();
        assertThat(status(id)).isEqualTo(JobStatus.RUNNING);
        assertThat(runsOnB).hasValue(0);

        clock.advance(LEASE.plusSeconds(1));
        b.tick(); // recovers the expired lease and claims the job
        await(() -> status(id) == JobStatus.SUCCEEDED);

        aMayFinish.countDown(); // the stale instance finishes late: its result must be discarded
        await(() -> a.running().isEmpty());
        Job job = repository.find(id).orElseThrow();
        assertThat(job.result()).isEqualTo("{\"by\":\"b\"}");
        assertThat(job.leaseOwner()).isEqualTo("b");
        assertThat(job.attempts()).isEqualTo(2);
        assertThat(runsOnB).hasValue(1);
        assertThat(new String(repository.artifact(id, "trajectory.csv").orElseThrow().content(), StandardCharsets.UTF_8))
                .isEqualTo("b");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM artifact WHERE experiment_id = :id").param("id", id)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void cancellingARunningJobStopsItAtTheNextStep() throws Exception {
        UUID id = submit();
        CountDownLatch started = new CountDownLatch(1);
        a = pool("a", (job, progress, cancel) -> {
            started.countDown();
            for (int step = 0; ; step++) {
                cancel.check();
                progress.onStep(step, 1_000_000, 1.0);
                Thread.onSpinWait();
            }
        });
        a.tick();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(repository.cancel(id, clock.instant())).isEqualTo(JobRepository.CancelOutcome.REQUESTED);
        assertThat(a.cancelLocal(id)).isTrue(); // as the service does when the job runs on this instance
        await(() -> status(id) == JobStatus.CANCELLED);
    }

    @Test
    void aJobCancelledOnAnotherInstanceStopsAtItsNextHeartbeat() throws Exception {
        UUID id = submit();
        CountDownLatch started = new CountDownLatch(1);
        a = pool("a", untilCancelled(started));
        a.tick();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        repository.cancel(id, clock.instant()); // as another instance would, through the database
        clock.advance(Duration.ofSeconds(6));
        a.tick();
        await(() -> status(id) == JobStatus.CANCELLED);
    }

    @Test
    void aFailingJobRecordsItsError() throws Exception {
        UUID id = submit();
        a = pool("a", (job, progress, cancel) -> {
            throw new IllegalStateException("the data were too noisy");
        });
        a.tick();
        await(() -> status(id) == JobStatus.FAILED);
        assertThat(repository.find(id).orElseThrow().error()).isEqualTo("the data were too noisy");
    }

    @Test
    void shutdownHandsRunningJobsBackToTheQueue() throws Exception {
        UUID id = submit();
        CountDownLatch started = new CountDownLatch(1);
        a = pool("a", untilCancelled(started));
        a.tick();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        a.shutdown(Duration.ofSeconds(10));
        Job job = repository.find(id).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempts()).isZero();
    }

    @Test
    void aPoolRunsNoMoreJobsThanItHasWorkers() throws Exception {
        UUID first = submit();
        clock.advance(Duration.ofMillis(1));
        UUID second = submit();
        CountDownLatch release = new CountDownLatch(1);
        a = pool("a", (job, progress, cancel) -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return completed("a");
        });
        a.tick();
        a.tick();
        assertThat(status(first)).isEqualTo(JobStatus.RUNNING);
        assertThat(status(second)).isEqualTo(JobStatus.QUEUED);
        release.countDown();
        await(() -> status(second) == JobStatus.SUCCEEDED);
    }

    @Test
    void aHalfWrittenResultIsNeverVisibleAndTheJobIsRecoveredAndFinishedOnce() throws Exception {
        UUID id = submit();
        assertThat(repository.claimNext("a", clock.instant(), LEASE)).isPresent();
        List<Artifact> artifacts = List.of(new Artifact("trajectory.csv", "text/csv", new byte[] {1}),
                new Artifact("losses.csv", "text/csv", new byte[1 << 20]));
        java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            new TransactionTemplate(transactions).executeWithoutResult(tx -> {
                // Instance a is in the middle of its result write: status, result and artifacts written, not committed.
                assertThat(repository.succeed(id, "a", clock.instant(), "{\"by\":\"a\"}", 10, artifacts)).isTrue();
                Job seen = get(reader.submit(() -> repository.find(id).orElseThrow()));
                assertThat(seen.status()).isEqualTo(JobStatus.RUNNING);
                assertThat(seen.result()).isNull();
                assertThat(get(reader.submit(() -> repository.artifactNames(id)))).isEmpty();
                tx.setRollbackOnly(); // the process dies before the commit: the database discards the transaction
            });
        } finally {
            reader.shutdownNow();
        }
        Job afterCrash = repository.find(id).orElseThrow();
        assertThat(afterCrash.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(afterCrash.result()).isNull();
        assertThat(repository.artifactNames(id)).isEmpty();

        AtomicInteger runsOnB = new AtomicInteger();
        b = pool("b", (job, progress, cancel) -> {
            runsOnB.incrementAndGet();
            return completed("b");
        });
        clock.advance(LEASE.plusSeconds(1));
        b.tick(); // a's lease has expired: b re-queues the job and runs it
        await(() -> status(id) == JobStatus.SUCCEEDED);
        Job job = repository.find(id).orElseThrow();
        assertThat(job.result()).isEqualTo("{\"by\":\"b\"}");
        assertThat(job.attempts()).isEqualTo(2);
        assertThat(runsOnB).hasValue(1);
        assertThat(repository.artifactNames(id)).containsExactly("trajectory.csv");
    }

    @Test
    void aResultIsWrittenOnceTheDatabaseAnswersAgain() throws Exception {
        UUID id = submit();
        AtomicInteger outages = new AtomicInteger(3);
        TransactionTemplate tx = new TransactionTemplate(transactions);
        JobRepository flaky = new JobRepository(jdbc) {
            @Override
            public boolean succeed(UUID job, String owner, Instant now, String result, int steps, List<Artifact> files) {
                if (outages.getAndDecrement() > 0) {
                    throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                            new java.sql.SQLTransientConnectionException("Connection refused", "08001"));
                }
                return tx.execute(s -> super.succeed(job, owner, now, result, steps, files));
            }
        };
        a = new WorkerPool(flaky, (job, progress, cancel) -> completed("a"), new WorkerSettings(1, LEASE,
                Duration.ofSeconds(5), Duration.ofHours(1), 3, "a"), clock, JobEvents.NONE);
        a.tick();
        await(() -> status(id) == JobStatus.SUCCEEDED);
        Job job = repository.find(id).orElseThrow();
        assertThat(job.result()).isEqualTo("{\"by\":\"a\"}");
        assertThat(job.attempts()).as("written by the first run, not re-queued").isEqualTo(1);
        assertThat(a.writeRetries()).isEqualTo(3);
        assertThat(repository.artifactNames(id)).containsExactly("trajectory.csv");
    }

    @Test
    void aResultTheDatabaseRefusesFailsTheJobSayingSoAndKeepsNothingOfIt() throws Exception {
        UUID id = submit();
        a = pool("a", (job, progress, cancel) -> new JobExecution.Completed("{}", 10, List.of(
                new Artifact("trajectory.csv", "text/csv", new byte[] {1}),
                new Artifact("trajectory.csv", "text/csv", new byte[] {2}))));
        a.tick();
        await(() -> status(id) == JobStatus.FAILED);
        Job job = repository.find(id).orElseThrow();
        assertThat(job.error()).startsWith("the run finished but its result could not be stored");
        assertThat(job.failure().kind()).isEqualTo(Failure.Kind.RESULT_NOT_STORED);
        assertThat(job.result()).isNull();
        assertThat(repository.artifactNames(id)).isEmpty();
        assertThat(a.writeRetries()).isZero();
    }

    @Test
    void aFailureThatKeptItsTrajectoryStoresItWithTheError() throws Exception {
        UUID id = submit();
        a = pool("a", (job, progress, cancel) -> {
            throw new JobExecution.Failed(new Failure(Failure.Kind.DIVERGED, 7), "training diverged at step 7",
                    List.of(new Artifact("losses.csv", "text/csv", "step,loss\n".getBytes(StandardCharsets.UTF_8))), null);
        });
        a.tick();
        await(() -> status(id) == JobStatus.FAILED);
        Job job = repository.find(id).orElseThrow();
        assertThat(job.error()).isEqualTo("training diverged at step 7");
        assertThat(job.failure()).isEqualTo(new Failure(Failure.Kind.DIVERGED, 7));
        assertThat(job.progressStep()).isEqualTo(7);
        assertThat(repository.artifactNames(id)).containsExactly("losses.csv");
    }

    private static <T> T get(java.util.concurrent.Future<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
