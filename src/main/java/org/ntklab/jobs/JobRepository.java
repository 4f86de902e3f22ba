package org.ntklab.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Jobs in the database, shared by every instance of the service. Work is claimed with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} and held under a lease that the running instance
 * renews; a job whose lease expires is re-queued (up to an attempt cap) by any instance.
 * Every state change is conditional on the current state (and lease owner), so a terminal state
 * is written once and never changes.
 */
@Repository
public class JobRepository {

    private static final String COLUMNS = "id, name, status, spec, spec_hash, idempotency_key, submitted_by, created_at, "
            + "started_at, finished_at, progress_step, progress_steps, attempts, lease_owner, lease_expires_at, "
            + "cancel_requested, error, result, sweep_id, sweep_index, overrides, failure_kind, failure_step";

    private static final Logger log = LoggerFactory.getLogger(JobRepository.class);

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final Duration resultWriteDelay;
    private volatile Boolean postgres;

    /** Without its data source, submitters' quota checks are serialised by the caller alone. */
    public JobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.dataSource = null;
        this.resultWriteDelay = Duration.ZERO;
    }

    /**
     * @param dataSource       the data source of {@code jdbc}: on PostgreSQL, quota checks take an advisory lock
     * @param resultWriteDelay for crash tests only ({@code ntklab.testing.result-write-delay}, default 0): how
     *                         long {@link #succeed} waits inside its transaction, after writing and before
     *                         committing, announcing the window with a {@value #RESULT_WRITE_MARKER} log line
     */
    @Autowired
    public JobRepository(JdbcClient jdbc, DataSource dataSource,
            @Value("${ntklab.testing.result-write-delay:0ms}") Duration resultWriteDelay) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.resultWriteDelay = resultWriteDelay;
        if (!resultWriteDelay.isZero()) {
            log.warn("TESTING ONLY: every result write is held open {} before it commits (ntklab.testing.result-write-delay)",
                    resultWriteDelay);
        }
    }

    /** The log line a crash test waits for to kill the process inside a result write: followed by the job's id. */
    public static final String RESULT_WRITE_MARKER = "ntklab-testing: inside the result write of job ";

    /**
     * Inserts QUEUED jobs of {@code submittedBy}, all or none, unless its QUEUED and RUNNING jobs
     * and these would be more than {@code maxActiveJobs} (0: no quota). On PostgreSQL the check
     * and the insert hold a transaction-scoped advisory lock of the submitter, so instances
     * submitting for one key at once cannot both pass; within one instance the caller serialises.
     *
     * @return empty when inserted; else the submitter's active jobs, and nothing was inserted
     */
    @Transactional
    public OptionalLong insertWithinQuota(List<NewJob> jobs, Instant now, String submittedBy, long maxActiveJobs) {
        OptionalLong refused = overQuota(submittedBy, jobs.size(), maxActiveJobs);
        if (refused.isEmpty()) {
            insertAll(jobs, now);
        }
        return refused;
    }

    /** {@link #insertSweep} under its submitter's quota, as {@link #insertWithinQuota}. */
    @Transactional
    public OptionalLong insertSweepWithinQuota(SweepRecord sweep, List<NewJob> children, long maxActiveJobs) {
        OptionalLong refused = overQuota(sweep.submittedBy(), children.size(), maxActiveJobs);
        if (refused.isEmpty()) {
            insertSweep(sweep, children);
        }
        return refused;
    }

    /** QUEUED and RUNNING experiments of {@code submittedBy}. */
    public long countActive(String submittedBy) {
        return jdbc.sql("SELECT COUNT(*) FROM experiment WHERE submitted_by = :by AND status IN ('QUEUED', 'RUNNING')")
                .param("by", submittedBy).query(Long.class).single();
    }

    private OptionalLong overQuota(String submittedBy, int count, long maxActiveJobs) {
        if (maxActiveJobs <= 0 || submittedBy == null) {
            return OptionalLong.empty();
        }
        if (postgres()) {
            jdbc.sql("SELECT pg_advisory_xact_lock(:lock)").param("lock", quotaLock(submittedBy)).query((rs, i) -> 1).list();
        }
        long active = countActive(submittedBy);
        return active + count > maxActiveJobs ? OptionalLong.of(active) : OptionalLong.empty();
    }

    /** A 64-bit advisory lock id of a submitter's quota: the first 8 bytes of SHA-256 of a prefixed name. */
    private static long quotaLock(String submittedBy) {
        return Long.parseUnsignedLong(ExperimentService.sha256("ntklab-quota:" + submittedBy).substring(0, 16), 16);
    }

    private boolean postgres() {
        if (postgres == null) {
            if (dataSource == null) {
                postgres = false;
            } else {
                java.sql.Connection c = DataSourceUtils.getConnection(dataSource);
                try {
                    postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                            .contains("postgresql");
                } catch (SQLException e) {
                    throw new org.springframework.jdbc.CannotGetJdbcConnectionException("reading the database's name", e);
                } finally {
                    DataSourceUtils.releaseConnection(c, dataSource);
                }
            }
        }
        return postgres;
    }

    /** Inserts QUEUED jobs, all or none. */
    @Transactional
    public void insertAll(List<NewJob> jobs, Instant now) {
        for (NewJob job : jobs) {
            jdbc.sql("INSERT INTO experiment (id, name, status, spec, spec_hash, idempotency_key, submitted_by, created_at, "
                            + "progress_steps, sweep_id, sweep_index, overrides) VALUES (:id, :name, 'QUEUED', :spec, :hash, "
                            + ":key, :by, :now, :steps, :sweep, :index, :overrides)")
                    .param("id", job.id()).param("name", job.name()).param("spec", job.spec())
                    .param("hash", job.specHash()).param("key", job.idempotencyKey()).param("by", job.submittedBy())
                    .param("now", time(now)).param("steps", job.steps()).param("sweep", job.sweepId())
                    .param("index", job.sweepIndex()).param("overrides", job.overrides())
                    .update();
            for (Map.Entry<String, String> tag : job.tags().entrySet()) {
                jdbc.sql("INSERT INTO experiment_tag (experiment_id, tag_key, tag_value) VALUES (:id, :k, :v)")
                        .param("id", job.id()).param("k", tag.getKey()).param("v", tag.getValue()).update();
            }
        }
    }

    public Optional<Job> find(UUID id) {
        List<Job> jobs = jdbc.sql("SELECT " + COLUMNS + " FROM experiment WHERE id = :id").param("id", id)
                .query((rs, i) -> map(rs, Map.of())).list();
        return jobs.stream().findFirst().map(j -> withTags(j, tags(List.of(id)).getOrDefault(id, Map.of())));
    }

    public Optional<Job> findByIdempotencyKey(String key) {
        Optional<UUID> id = jdbc.sql("SELECT id FROM experiment WHERE idempotency_key = :k").param("k", key)
                .query(UUID.class).optional();
        return id.flatMap(this::find);
    }

    /** A page of jobs matching {@code filter}, newest first. */
    public Page<Job> list(JobFilter filter, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (filter.status() != null) {
            where.append(" AND e.status = :status");
            params.put("status", filter.status().name());
        }
        if (filter.name() != null) {
            where.append(" AND e.name = :name");
            params.put("name", filter.name());
        }
        if (filter.submittedBy() != null) {
            where.append(" AND e.submitted_by = :by");
            params.put("by", filter.submittedBy());
        }
        if (filter.createdAfter() != null) {
            where.append(" AND e.created_at >= :after");
            params.put("after", time(filter.createdAfter()));
        }
        if (filter.createdBefore() != null) {
            where.append(" AND e.created_at < :before");
            params.put("before", time(filter.createdBefore()));
        }
        if (filter.tagKey() != null) {
            where.append(" AND EXISTS (SELECT 1 FROM experiment_tag t WHERE t.experiment_id = e.id AND t.tag_key = :tk");
            params.put("tk", filter.tagKey());
            if (filter.tagValue() != null) {
                where.append(" AND t.tag_value = :tv");
                params.put("tv", filter.tagValue());
            }
            where.append(")");
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM experiment e" + where).params(params).query(Long.class).single();
        params.put("limit", size);
        params.put("offset", (long) page * size);
        List<Job> jobs = jdbc.sql("SELECT " + COLUMNS.replaceAll("(\\w+)", "e.$1") + " FROM experiment e" + where
                        + " ORDER BY e.created_at DESC, e.id DESC LIMIT :limit OFFSET :offset")
                .params(params).query((rs, i) -> map(rs, Map.of())).list();
        Map<UUID, Map<String, String>> tags = tags(jobs.stream().map(Job::id).toList());
        return new Page<>(jobs.stream().map(j -> withTags(j, tags.getOrDefault(j.id(), Map.of()))).toList(), page, size,
                total);
    }

    public long countByStatus(JobStatus status) {
        return jdbc.sql("SELECT COUNT(*) FROM experiment WHERE status = :s").param("s", status.name())
                .query(Long.class).single();
    }

    /**
     * Claims the oldest QUEUED job for {@code owner} under a lease until {@code now + lease}:
     * it becomes RUNNING with one more attempt. Concurrent claimers skip each other's locked rows.
     */
    @Transactional
    public Optional<Job> claimNext(String owner, Instant now, Duration lease) {
        Optional<UUID> id = jdbc.sql("SELECT id FROM experiment WHERE status = 'QUEUED' ORDER BY created_at, id "
                        + "LIMIT 1 FOR UPDATE SKIP LOCKED")
                .query(UUID.class).optional();
        if (id.isEmpty()) {
            return Optional.empty();
        }
        jdbc.sql("UPDATE experiment SET status = 'RUNNING', lease_owner = :owner, lease_expires_at = :until, "
                        + "attempts = attempts + 1, started_at = :now, progress_step = 0 WHERE id = :id AND status = 'QUEUED'")
                .param("owner", owner).param("until", time(now.plus(lease))).param("now", time(now))
                .param("id", id.get()).update();
        return find(id.get());
    }

    /** What a heartbeat learned about a running job. */
    public enum Heartbeat {
        /** The lease was renewed. */
        HELD,
        /** The lease was renewed and cancellation has been requested. */
        CANCEL_REQUESTED,
        /** The job is no longer this owner's (its lease expired and it was re-queued or ended). */
        LOST
    }

    /** Renews the lease of a running job and records its progress. */
    @Transactional
    public Heartbeat heartbeat(UUID id, String owner, Instant now, Duration lease, int step, int steps) {
        int updated = jdbc.sql("UPDATE experiment SET lease_expires_at = :until, progress_step = :step, "
                        + "progress_steps = :steps WHERE id = :id AND lease_owner = :owner AND status = 'RUNNING'")
                .param("until", time(now.plus(lease))).param("step", step).param("steps", steps).param("id", id)
                .param("owner", owner).update();
        if (updated == 0) {
            return Heartbeat.LOST;
        }
        boolean cancel = jdbc.sql("SELECT cancel_requested FROM experiment WHERE id = :id").param("id", id)
                .query(Boolean.class).single();
        return cancel ? Heartbeat.CANCEL_REQUESTED : Heartbeat.HELD;
    }

    /**
     * Ends a running job as SUCCEEDED with its result and artifacts, in one transaction, if
     * {@code owner} still holds it. Returns false (writing nothing) when the lease was lost.
     */
    @Transactional
    public boolean succeed(UUID id, String owner, Instant now, String result, int steps, List<Artifact> artifacts) {
        int updated = jdbc.sql("UPDATE experiment SET status = 'SUCCEEDED', result = :result, finished_at = :now, "
                        + "progress_step = :steps, progress_steps = :steps, lease_expires_at = NULL "
                        + "WHERE id = :id AND lease_owner = :owner AND status = 'RUNNING'")
                .param("result", result).param("now", time(now)).param("steps", steps).param("id", id)
                .param("owner", owner).update();
        if (updated == 0) {
            return false;
        }
        insertArtifacts(id, artifacts);
        if (!resultWriteDelay.isZero()) {
            log.warn(RESULT_WRITE_MARKER + "{}, committing in {}", id, resultWriteDelay);
            try {
                Thread.sleep(resultWriteDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }

    /** Ends a running job held by {@code owner} as FAILED or CANCELLED. Returns false when the lease was lost. */
    @Transactional
    public boolean end(UUID id, String owner, Instant now, JobStatus status, String error) {
        if (status != JobStatus.FAILED && status != JobStatus.CANCELLED) {
            throw new IllegalArgumentException("end() takes FAILED or CANCELLED, got " + status);
        }
        if (status == JobStatus.FAILED) {
            return fail(id, owner, now, Failure.of(Failure.Kind.ERROR), error, List.of());
        }
        return jdbc.sql("UPDATE experiment SET status = :status, error = :error, finished_at = :now, lease_expires_at = NULL "
                        + "WHERE id = :id AND lease_owner = :owner AND status = 'RUNNING'")
                .param("status", status.name()).param("error", error).param("now", time(now)).param("id", id)
                .param("owner", owner).update() == 1;
    }

    /**
     * Ends a running job held by {@code owner} as FAILED with its error, its kind of failure and
     * what it kept (a diverged run's trajectory), in one transaction. A failure with a step also
     * records it as the job's progress. Returns false (writing nothing) when the lease was lost.
     */
    @Transactional
    public boolean fail(UUID id, String owner, Instant now, Failure failure, String error, List<Artifact> artifacts) {
        int updated = jdbc.sql("UPDATE experiment SET status = 'FAILED', error = :error, finished_at = :now, "
                        + "lease_expires_at = NULL, failure_kind = :kind, failure_step = :step, "
                        + "progress_step = COALESCE(:step, progress_step) "
                        + "WHERE id = :id AND lease_owner = :owner AND status = 'RUNNING'")
                .param("error", error).param("now", time(now)).param("kind", failure.kind().name())
                .param("step", failure.step(), java.sql.Types.INTEGER).param("id", id).param("owner", owner).update();
        if (updated == 0) {
            return false;
        }
        insertArtifacts(id, artifacts);
        return true;
    }

    private void insertArtifacts(UUID id, List<Artifact> artifacts) {
        for (Artifact a : artifacts) {
            jdbc.sql("INSERT INTO artifact (experiment_id, name, content_type, content) VALUES (:id, :name, :type, :content)")
                    .param("id", id).param("name", a.name()).param("type", a.contentType()).param("content", a.content())
                    .update();
        }
    }

    /**
     * Hands a running job held by {@code owner} back to the queue without counting the attempt
     * (a graceful shutdown). Returns false when the lease was lost.
     */
    @Transactional
    public boolean release(UUID id, String owner) {
        return jdbc.sql("UPDATE experiment SET status = 'QUEUED', lease_owner = NULL, lease_expires_at = NULL, "
                        + "started_at = NULL, progress_step = 0, attempts = attempts - 1 "
                        + "WHERE id = :id AND lease_owner = :owner AND status = 'RUNNING'")
                .param("id", id).param("owner", owner).update() == 1;
    }

    /** The result of a cancellation request. */
    public enum CancelOutcome {
        /** The job was queued and is now CANCELLED. */
        CANCELLED,
        /** The job is running; it has been asked to stop and will end CANCELLED within a step. */
        REQUESTED,
        /** The job had already ended; nothing changed. */
        ALREADY_TERMINAL,
        /** No such job. */
        NOT_FOUND
    }

    /** Cancels a queued job at once, or asks a running one to stop. */
    @Transactional
    public CancelOutcome cancel(UUID id, Instant now) {
        int queued = jdbc.sql("UPDATE experiment SET status = 'CANCELLED', cancel_requested = TRUE, finished_at = :now "
                        + "WHERE id = :id AND status = 'QUEUED'")
                .param("now", time(now)).param("id", id).update();
        if (queued == 1) {
            return CancelOutcome.CANCELLED;
        }
        int running = jdbc.sql("UPDATE experiment SET cancel_requested = TRUE WHERE id = :id AND status = 'RUNNING'")
                .param("id", id).update();
        if (running == 1) {
            return CancelOutcome.REQUESTED;
        }
        return find(id).isPresent() ? CancelOutcome.ALREADY_TERMINAL : CancelOutcome.NOT_FOUND;
    }

    /**
     * A job whose lease had expired, and what recovery made of it.
     *
     * @param previousOwner the instance that held the lease
     * @param attempts      the claims it had had
     * @param status        QUEUED (to be retried), FAILED (out of attempts) or CANCELLED (it was asked to cancel)
     */
    public record Recovered(UUID id, UUID sweepId, String submittedBy, String previousOwner, int attempts,
            JobStatus status) {
    }

    /**
     * Recovers jobs whose lease expired before {@code now} (their instance died): re-queued while
     * they have attempts left, else FAILED; a job asked to cancel becomes CANCELLED.
     *
     * @return the jobs recovered
     */
    @Transactional
    public List<Recovered> recoverExpired(Instant now, int maxAttempts) {
        List<Recovered> expired = jdbc.sql("SELECT id, sweep_id, submitted_by, lease_owner, attempts, cancel_requested "
                        + "FROM experiment WHERE status = 'RUNNING' AND lease_expires_at < :now FOR UPDATE SKIP LOCKED")
                .param("now", time(now))
                .query((rs, i) -> {
                    int attempts = rs.getInt("attempts");
                    JobStatus status = rs.getBoolean("cancel_requested") ? JobStatus.CANCELLED
                            : attempts >= maxAttempts ? JobStatus.FAILED : JobStatus.QUEUED;
                    return new Recovered(rs.getObject("id", UUID.class), rs.getObject("sweep_id", UUID.class),
                            rs.getString("submitted_by"), rs.getString("lease_owner"), attempts, status);
                }).list();
        for (Recovered job : expired) {
            switch (job.status()) {
                case CANCELLED -> jdbc.sql("UPDATE experiment SET status = 'CANCELLED', finished_at = :now, "
                                + "lease_expires_at = NULL WHERE id = :id")
                        .param("now", time(now)).param("id", job.id()).update();
                case FAILED -> jdbc.sql("UPDATE experiment SET status = 'FAILED', finished_at = :now, lease_expires_at = NULL, "
                                + "error = :error, failure_kind = 'INSTANCE_LOST' WHERE id = :id")
                        .param("now", time(now)).param("id", job.id())
                        .param("error", "the instance running this job stopped responding " + job.attempts()
                                + " time(s); giving up after " + maxAttempts + " attempts")
                        .update();
                default -> jdbc.sql("UPDATE experiment SET status = 'QUEUED', lease_owner = NULL, lease_expires_at = NULL, "
                                + "started_at = NULL, progress_step = 0 WHERE id = :id")
                        .param("id", job.id()).update();
            }
        }
        return expired;
    }

    /** Stores a sweep and its children (QUEUED experiments), all or none. */
    @Transactional
    public void insertSweep(SweepRecord sweep, List<NewJob> children) {
        jdbc.sql("INSERT INTO sweep (id, name, definition, submitted_by, created_at) VALUES (:id, :name, :def, :by, :now)")
                .param("id", sweep.id()).param("name", sweep.name()).param("def", sweep.definition())
                .param("by", sweep.submittedBy()).param("now", time(sweep.createdAt())).update();
        insertAll(children, sweep.createdAt());
    }

    public Optional<SweepRecord> findSweep(UUID id) {
        return jdbc.sql("SELECT id, name, definition, submitted_by, created_at, cancel_requested FROM sweep WHERE id = :id")
                .param("id", id).query((rs, i) -> sweep(rs)).optional();
    }

    /** A page of sweeps, newest first; only those {@code submittedBy} submitted unless it is null. */
    public Page<SweepRecord> listSweeps(String submittedBy, int page, int size) {
        String where = submittedBy == null ? "" : " WHERE submitted_by = :by";
        Map<String, Object> params = new HashMap<>();
        if (submittedBy != null) {
            params.put("by", submittedBy);
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM sweep" + where).params(params).query(Long.class).single();
        params.put("limit", size);
        params.put("offset", (long) page * size);
        List<SweepRecord> sweeps = jdbc.sql("SELECT id, name, definition, submitted_by, created_at, cancel_requested FROM sweep"
                        + where + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .params(params).query((rs, i) -> sweep(rs)).list();
        return new Page<>(sweeps, page, size, total);
    }

    /** A sweep's experiments in grid order. */
    public List<Job> sweepChildren(UUID sweepId) {
        List<Job> jobs = jdbc.sql("SELECT " + COLUMNS + " FROM experiment WHERE sweep_id = :id ORDER BY sweep_index")
                .param("id", sweepId).query((rs, i) -> map(rs, Map.of())).list();
        Map<UUID, Map<String, String>> tags = tags(jobs.stream().map(Job::id).toList());
        return jobs.stream().map(j -> withTags(j, tags.getOrDefault(j.id(), Map.of()))).toList();
    }

    /**
     * Cancels a sweep: its queued experiments end CANCELLED at once, its running ones are asked
     * to stop. Returns the ids of the running ones.
     */
    @Transactional
    public List<UUID> cancelSweep(UUID id, Instant now) {
        jdbc.sql("UPDATE sweep SET cancel_requested = TRUE WHERE id = :id").param("id", id).update();
        jdbc.sql("UPDATE experiment SET status = 'CANCELLED', cancel_requested = TRUE, finished_at = :now "
                        + "WHERE sweep_id = :id AND status = 'QUEUED'")
                .param("now", time(now)).param("id", id).update();
        jdbc.sql("UPDATE experiment SET cancel_requested = TRUE WHERE sweep_id = :id AND status = 'RUNNING'")
                .param("id", id).update();
        return jdbc.sql("SELECT id FROM experiment WHERE sweep_id = :id AND status = 'RUNNING'").param("id", id)
                .query(UUID.class).list();
    }

    private static SweepRecord sweep(ResultSet rs) throws SQLException {
        return new SweepRecord(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("definition"),
                rs.getString("submitted_by"), instant(rs, "created_at"), rs.getBoolean("cancel_requested"));
    }

    /** The artifact {@code name} of job {@code id}. */
    public Optional<Artifact> artifact(UUID id, String name) {
        return jdbc.sql("SELECT name, content_type, content FROM artifact WHERE experiment_id = :id AND name = :name")
                .param("id", id).param("name", name)
                .query((rs, i) -> new Artifact(rs.getString(1), rs.getString(2), rs.getBytes(3))).optional();
    }

    /** The names of job {@code id}'s artifacts, sorted. */
    public List<String> artifactNames(UUID id) {
        return jdbc.sql("SELECT name FROM artifact WHERE experiment_id = :id ORDER BY name").param("id", id)
                .query(String.class).list();
    }

    private Map<UUID, Map<String, String>> tags(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Map<String, String>> out = new HashMap<>();
        jdbc.sql("SELECT experiment_id, tag_key, tag_value FROM experiment_tag WHERE experiment_id IN (:ids) "
                        + "ORDER BY tag_key")
                .param("ids", ids)
                .query((ResultSet rs) -> {
                    out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getString(3));
                });
        return out;
    }

    private static Job withTags(Job j, Map<String, String> tags) {
        return new Job(j.id(), j.name(), j.status(), j.spec(), j.specHash(), j.idempotencyKey(), j.submittedBy(), tags,
                j.createdAt(), j.startedAt(), j.finishedAt(), j.progressStep(), j.progressSteps(), j.attempts(),
                j.leaseOwner(), j.leaseExpiresAt(), j.cancelRequested(), j.error(), j.result(), j.sweepId(), j.sweepIndex(),
                j.overrides(), j.failure());
    }

    private static Job map(ResultSet rs, Map<String, String> tags) throws SQLException {
        return new Job(rs.getObject("id", UUID.class), rs.getString("name"), JobStatus.valueOf(rs.getString("status")),
                rs.getString("spec"), rs.getString("spec_hash"), rs.getString("idempotency_key"),
                rs.getString("submitted_by"), tags, instant(rs, "created_at"), instant(rs, "started_at"),
                instant(rs, "finished_at"), rs.getInt("progress_step"), rs.getInt("progress_steps"),
                rs.getInt("attempts"), rs.getString("lease_owner"), instant(rs, "lease_expires_at"),
                rs.getBoolean("cancel_requested"), rs.getString("error"), rs.getString("result"),
                rs.getObject("sweep_id", UUID.class), (Integer) rs.getObject("sweep_index"), rs.getString("overrides"),
                failure(rs));
    }

    private static Failure failure(ResultSet rs) throws SQLException {
        String kind = rs.getString("failure_kind");
        return kind == null ? null : new Failure(Failure.Kind.valueOf(kind), (Integer) rs.getObject("failure_step"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
