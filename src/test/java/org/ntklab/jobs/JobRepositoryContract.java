package org.ntklab.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The repository's contract, run against each database (H2 and PostgreSQL subclasses): claims,
 * leases, conditional state changes and recovery. Runs outside test transactions so that
 * concurrent claims really race.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import(JobRepository.class)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
abstract class JobRepositoryContract {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Autowired
    JobRepository repository;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void empty() {
        jdbc.sql("DELETE FROM experiment").update();
    }

    private UUID insert(Instant at, Map<String, String> tags, String key) {
        UUID id = UUID.randomUUID();
        repository.insertAll(List.of(new NewJob(id, "job-" + id.toString().substring(0, 4), "{\"spec\":1}", "hash", key,
                "tester", tags, 10)), at);
        return id;
    }

    private UUID insert(Instant at) {
        return insert(at, Map.of(), null);
    }

    @Test
    void insertedJobsAreQueuedWithTheirTags() {
        UUID id = insert(T0, Map.of("paper", "figure-1", "m", "100"), "key-1");
        Job job = repository.find(id).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("paper", "figure-1", "m", "100"));
        assertThat(job.createdAt()).isEqualTo(T0);
        assertThat(job.progressSteps()).isEqualTo(10);
        assertThat(repository.findByIdempotencyKey("key-1")).map(Job::id).contains(id);
        assertThat(repository.find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void theQuotaCountsOneSubmittersQueuedAndRunningJobs() {
        assertThat(repository.insertWithinQuota(jobsOf("alice", 2), T0, "alice", 3)).isEmpty();
        assertThat(repository.insertWithinQuota(jobsOf("alice", 2), T0, "alice", 3)).as("2 + 2 > 3: refused whole")
                .hasValue(2);
        assertThat(repository.countActive("alice")).isEqualTo(2);
        Job running = repository.claimNext("me", T0, LEASE).orElseThrow();
        assertThat(repository.insertWithinQuota(jobsOf("alice", 1), T0, "alice", 3)).as("RUNNING counts too").isEmpty();
        assertThat(repository.insertWithinQuota(jobsOf("alice", 1), T0, "alice", 3)).hasValue(3);
        assertThat(repository.insertWithinQuota(jobsOf("bob", 3), T0, "bob", 3)).as("per submitter").isEmpty();
        assertThat(repository.insertWithinQuota(jobsOf("alice", 5), T0, "alice", 0)).as("0: no quota").isEmpty();
        assertThat(repository.countActive("alice")).isEqualTo(8);
        repository.end(running.id(), "me", T0, JobStatus.CANCELLED, null);
        assertThat(repository.countActive("alice")).as("an ended job frees its place").isEqualTo(7);
    }

    private static List<NewJob> jobsOf(String submittedBy, int count) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(new NewJob(UUID.randomUUID(), "q", "{}", "h", null, submittedBy, Map.of(), 1));
        }
        return jobs;
    }

    @Test
    void aBatchIsInsertedAllOrNone() {
        UUID first = UUID.randomUUID();
        insert(T0, Map.of(), "taken");
        List<NewJob> batch = List.of(
                new NewJob(first, "a", "{}", "h", null, null, Map.of(), 1),
                new NewJob(UUID.randomUUID(), "b", "{}", "h", "taken", null, Map.of(), 1));
        assertThatThrownBy(() -> repository.insertAll(batch, T0)).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(repository.find(first)).isEmpty();
    }

    @Test
    void listingFiltersAndPagesNewestFirst() {
        UUID a = insert(T0, Map.of("group", "x"), null);
        UUID b = insert(T0.plusSeconds(1), Map.of("group", "y"), null);
        UUID c = insert(T0.plusSeconds(2), Map.of("group", "x"), null);
        assertThat(repository.list(JobFilter.none(), 0, 2).items()).extracting(Job::id).containsExactly(c, b);
        assertThat(repository.list(JobFilter.none(), 1, 2).items()).extracting(Job::id).containsExactly(a);
        assertThat(repository.list(JobFilter.none(), 0, 2).total()).isEqualTo(3);
        assertThat(repository.list(new JobFilter(null, "group", "x", null, null, null, null), 0, 10).items())
                .extracting(Job::id).containsExactly(c, a);
        assertThat(repository.list(new JobFilter(null, null, null, null, T0.plusSeconds(1), T0.plusSeconds(2), null), 0, 10)
                .items()).extracting(Job::id).containsExactly(b);
        repository.claimNext("me", T0, LEASE);
        assertThat(repository.list(new JobFilter(JobStatus.RUNNING, null, null, null, null, null, null), 0, 10).items())
                .extracting(Job::id).containsExactly(a);
    }

    @Test
    void listingsFilterBySubmitter() {
        UUID mine = insert(T0);
        UUID theirs = UUID.randomUUID();
        repository.insertAll(List.of(new NewJob(theirs, "other", "{}", "hash", null, "someone-else", Map.of(), 10)), T0);
        assertThat(repository.list(new JobFilter(null, null, null, null, null, null, "tester"), 0, 10).items())
                .extracting(Job::id).containsExactly(mine);
        assertThat(repository.list(new JobFilter(null, null, null, null, null, null, "someone-else"), 0, 10).items())
                .extracting(Job::id).containsExactly(theirs);
        assertThat(repository.list(new JobFilter(null, null, null, null, null, null, "nobody"), 0, 10).total()).isZero();
        UUID s1 = UUID.randomUUID();
        UUID s2 = UUID.randomUUID();
        String sweeper = "sweeper-" + s1; // sweeps are not emptied between tests
        repository.insertSweep(new SweepRecord(s1, "a", "{}", sweeper, T0, false), List.of());
        repository.insertSweep(new SweepRecord(s2, "b", "{}", "someone-else", T0.plusSeconds(1), false), List.of());
        assertThat(repository.listSweeps(sweeper, 0, 10).items()).extracting(SweepRecord::id).containsExactly(s1);
        assertThat(repository.listSweeps(sweeper, 0, 10).total()).isEqualTo(1);
        assertThat(repository.listSweeps(null, 0, 10).items()).extracting(SweepRecord::id).contains(s1, s2);
    }

    @Test
    void claimsTakeTheOldestQueuedJobUnderALease() {
        UUID older = insert(T0);
        insert(T0.plusSeconds(5));
        Job claimed = repository.claimNext("instance-a", T0.plusSeconds(10), LEASE).orElseThrow();
        assertThat(claimed.id()).isEqualTo(older);
        assertThat(claimed.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(claimed.leaseOwner()).isEqualTo("instance-a");
        assertThat(claimed.leaseExpiresAt()).isEqualTo(T0.plusSeconds(40));
    }

    @Test
    void concurrentClaimersNeverShareAJob() throws Exception {
        int jobs = 12;
        for (int i = 0; i < jobs; i++) {
            insert(T0.plusMillis(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<List<UUID>>> claimers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String owner = "worker-" + w;
                claimers.add(() -> {
                    List<UUID> mine = new ArrayList<>();
                    for (Optional<Job> j = repository.claimNext(owner, T0, LEASE); j.isPresent();
                            j = repository.claimNext(owner, T0, LEASE)) {
                        mine.add(j.get().id());
                    }
                    return mine;
                });
            }
            Set<UUID> seen = new HashSet<>();
            int total = 0;
            for (Future<List<UUID>> f : pool.invokeAll(claimers)) {
                total += f.get().size();
                seen.addAll(f.get());
            }
            assertThat(total).isEqualTo(jobs);
            assertThat(seen).hasSize(jobs);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void heartbeatsRenewTheLeaseReportCancellationAndDetectLoss() {
        UUID id = insert(T0);
        repository.claimNext("a", T0, LEASE);
        assertThat(repository.heartbeat(id, "a", T0.plusSeconds(20), LEASE, 3, 10)).isEqualTo(JobRepository.Heartbeat.HELD);
        Job job = repository.find(id).orElseThrow();
        assertThat(job.leaseExpiresAt()).isEqualTo(T0.plusSeconds(50));
        assertThat(job.progressStep()).isEqualTo(3);
        assertThat(repository.cancel(id, T0.plusSeconds(21))).isEqualTo(JobRepository.CancelOutcome.REQUESTED);
        assertThat(repository.heartbeat(id, "a", T0.plusSeconds(22), LEASE, 4, 10))
                .isEqualTo(JobRepository.Heartbeat.CANCEL_REQUESTED);
        assertThat(repository.heartbeat(id, "b", T0.plusSeconds(22), LEASE, 4, 10)).isEqualTo(JobRepository.Heartbeat.LOST);
    }

    @Test
    void aResultIsWrittenOnceAndOnlyByTheLeaseHolder() {
        UUID id = insert(T0);
        repository.claimNext("a", T0, LEASE);
        List<Artifact> files = List.of(new Artifact("trajectory.csv", "text/csv", "step\n0\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(repository.succeed(id, "b", T0.plusSeconds(1), "{}", 10, files)).isFalse();
        assertThat(repository.artifactNames(id)).isEmpty();
        assertThat(repository.succeed(id, "a", T0.plusSeconds(1), "{\"ok\":true}", 10, files)).isTrue();
        assertThat(repository.succeed(id, "a", T0.plusSeconds(2), "{\"ok\":false}", 10, files)).isFalse();
        assertThat(repository.end(id, "a", T0.plusSeconds(2), JobStatus.FAILED, "late")).isFalse();
        Job job = repository.find(id).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.result()).isEqualTo("{\"ok\":true}");
        assertThat(job.finishedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(repository.artifact(id, "trajectory.csv")).hasValueSatisfying(a -> {
            assertThat(a.contentType()).isEqualTo("text/csv");
            assertThat(new String(a.content(), StandardCharsets.UTF_8)).isEqualTo("step\n0\n");
        });
        assertThat(repository.cancel(id, T0.plusSeconds(3))).isEqualTo(JobRepository.CancelOutcome.ALREADY_TERMINAL);
    }

    @Test
    void expiredLeasesAreRequeuedUntilTheAttemptCap() {
        UUID id = insert(T0);
        repository.claimNext("a", T0, LEASE);
        assertThat(repository.recoverExpired(T0.plusSeconds(29), 2)).isEmpty();
        assertThat(repository.recoverExpired(T0.plusSeconds(31), 2)).containsExactly(
                new JobRepository.Recovered(id, null, "tester", "a", 1, JobStatus.QUEUED));
        assertThat(repository.find(id).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(repository.heartbeat(id, "a", T0.plusSeconds(32), LEASE, 1, 10)).isEqualTo(JobRepository.Heartbeat.LOST);
        Job again = repository.claimNext("b", T0.plusSeconds(40), LEASE).orElseThrow();
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(repository.recoverExpired(T0.plusSeconds(100), 2)).extracting(JobRepository.Recovered::status)
                .containsExactly(JobStatus.FAILED);
        Job failed = repository.find(id).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).contains("giving up after 2 attempts");
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnce() {
        UUID id = insert(T0);
        assertThat(repository.cancel(id, T0.plusSeconds(1))).isEqualTo(JobRepository.CancelOutcome.CANCELLED);
        assertThat(repository.find(id).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(repository.claimNext("a", T0, LEASE)).isEmpty();
        assertThat(repository.cancel(UUID.randomUUID(), T0)).isEqualTo(JobRepository.CancelOutcome.NOT_FOUND);
    }

    @Test
    void aReleasedJobIsQueuedAgainWithoutUsingAnAttempt() {
        UUID id = insert(T0);
        repository.claimNext("a", T0, LEASE);
        assertThat(repository.release(id, "a")).isTrue();
        Job job = repository.find(id).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempts()).isZero();
        assertThat(repository.countByStatus(JobStatus.QUEUED)).isEqualTo(1);
    }
}
