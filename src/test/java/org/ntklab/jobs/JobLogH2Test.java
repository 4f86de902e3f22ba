package org.ntklab.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntklab.support.MutableClock;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * One job's life followed in the log by its id: claimed by an instance that then stops
 * responding, re-queued when its lease expires, claimed again by another instance on attempt 2,
 * succeeded there, and the stale run's late end. Every line carries the job id, sweep id and key
 * name in the MDC, and so does what the job's own code logs on the worker thread.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import(JobRepository.class)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JobLogH2Test {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final org.slf4j.Logger jobCode = LoggerFactory.getLogger("org.ntklab.test.JobCode");
    private static final List<String> LOGGERS = List.of(WorkerPool.class.getName(), "org.ntklab.test.JobCode");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("spring.datasource.password", () -> "");
    }

    @Autowired
    JobRepository repository;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final Captured captured = new Captured();
    private WorkerPool a;
    private WorkerPool b;

    /** Keeps every event with the MDC it had when logged (logback copies the MDC lazily otherwise). */
    static final class Captured extends AppenderBase<ILoggingEvent> {
        final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            event.getMDCPropertyMap();
            events.add(event);
        }

        List<ILoggingEvent> of(UUID jobId) {
            return events.stream().filter(e -> jobId.toString().equals(e.getMDCPropertyMap().get(JobLog.JOB_ID))).toList();
        }
    }

    @BeforeEach
    void capture() {
        captured.start();
        root().addAppender(captured);
        for (String name : LOGGERS) { // the tests' logback-test.xml keeps the root at WARN
            ((Logger) LoggerFactory.getLogger(name)).setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    @AfterEach
    void stop() {
        root().detachAppender(captured);
        for (String name : LOGGERS) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(null);
        }
        for (WorkerPool p : new WorkerPool[] {a, b}) {
            if (p != null) {
                p.shutdown(Duration.ofSeconds(5));
            }
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private WorkerPool pool(String instance, JobExecution execution) {
        return new WorkerPool(repository, execution, new WorkerSettings(1, LEASE, Duration.ofSeconds(5),
                Duration.ofHours(1), 3, instance), clock, JobEvents.NONE);
    }

    @Test
    void aJobsLifeCanBeFollowedByItsId() throws Exception {
        UUID sweep = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        repository.insertSweep(new SweepRecord(sweep, "s", "{}", "alice", clock.instant(), false), List.of(
                new NewJob(id, "s/0", "{}", "h", null, "alice", Map.of(), 10, sweep, 0, "{}")));
        CountDownLatch aStarted = new CountDownLatch(1);
        CountDownLatch aMayFinish = new CountDownLatch(1);
        a = pool("instance-a", (job, progress, cancel) -> {
            jobCode.info("computing on instance-a");
            aStarted.countDown();
            try {
                aMayFinish.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new JobExecution.Completed("{}", 10, List.of());
        });
        b = pool("instance-b", (job, progress, cancel) -> {
            jobCode.info("computing on instance-b");
            return new JobExecution.Completed("{}", 10, List.of());
        });
        a.tick();
        assertThat(aStarted.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(LEASE.plusSeconds(1)); // instance-a stops renewing; its lease expires
        b.tick();
        await(() -> repository.find(id).orElseThrow().status() == JobStatus.SUCCEEDED);
        aMayFinish.countDown();
        await(() -> a.running().isEmpty() && captured.of(id).size() >= 7);

        List<ILoggingEvent> life = captured.of(id);
        assertThat(life).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactlyInAnyOrder(
                m -> assertThat(m).isEqualTo("job " + id + " claimed by instance instance-a on attempt 1 (sweep " + sweep
                        + ", index 0)"),
                m -> assertThat(m).isEqualTo("computing on instance-a"),
                m -> assertThat(m).isEqualTo("job " + id + " re-queued: the lease of instance instance-a expired "
                        + "(attempt 1 of 3)"),
                m -> assertThat(m).isEqualTo("job " + id + " claimed by instance instance-b on attempt 2 (sweep " + sweep
                        + ", index 0)"),
                m -> assertThat(m).isEqualTo("computing on instance-b"),
                m -> assertThat(m).matches("job " + id + " succeeded after \\d+\\.\\d{3} s"),
                m -> assertThat(m).matches("job " + id + " ended on this instance after \\d+\\.\\d{3} s with nothing "
                        + "recorded: another instance holds it now; the result is discarded"));
        // in the order they happened on each instance
        assertThat(life.stream().filter(e -> e.getThreadName().startsWith("ntklab-worker")).map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("instance-b") || m.contains(" succeeded")).toList())
                .satisfiesExactly(m -> assertThat(m).contains("claimed by instance instance-b"),
                        m -> assertThat(m).isEqualTo("computing on instance-b"),
                        m -> assertThat(m).contains("succeeded after"));
        for (ILoggingEvent e : life) {
            assertThat(e.getMDCPropertyMap()).as(e.getFormattedMessage())
                    .containsEntry(JobLog.SWEEP_ID, sweep.toString()).containsEntry(JobLog.API_KEY, "alice");
            assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
        }
        // the worker threads keep no job context once it ends
        assertThat(captured.events.stream().filter(e -> e.getFormattedMessage().contains(id.toString())))
                .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry(JobLog.JOB_ID, id.toString()));
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
}
