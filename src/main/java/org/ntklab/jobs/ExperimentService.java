package org.ntklab.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.ntklab.core.experiment.MemoryEstimate;
import org.ntklab.jobs.spec.DatasetResolver;
import org.ntklab.jobs.spec.ExperimentSpecification;
import org.ntklab.jobs.spec.Limits;
import org.ntklab.jobs.spec.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Submitting, finding and cancelling experiments: validation with every field's problem,
 * the memory budget, the bounded queue, each submitter's quota of active jobs, idempotent and
 * all-or-none batch submission.
 */
public class ExperimentService {

    private static final Logger log = LoggerFactory.getLogger(ExperimentService.class);

    /**
     * @param limits        per-experiment limits
     * @param queueCapacity the most QUEUED jobs over all instances
     * @param memoryBudget  bytes one experiment may need
     * @param retryAfterSeconds what a 429 advises
     */
    public record Settings(Limits limits, int queueCapacity, long memoryBudget, long retryAfterSeconds, int maxBatch) {
    }

    /** A submission's outcome: the job, and whether this call created it (false: an idempotent replay). */
    public record Submitted(Job job, boolean created) {
    }

    private final JobRepository repository;
    private final WorkerPool pool;
    private final JsonMapper json;
    private final Clock clock;
    private final Settings settings;
    private final DatasetResolver datasets;
    private final ActiveJobQuota quota;
    /** Serialises one submitter's quota checks on this instance (across instances, see JobRepository). */
    private final ConcurrentMap<String, Object> submitterLocks = new ConcurrentHashMap<>();

    /** @param datasets resolves the uploaded datasets specs name */
    public ExperimentService(JobRepository repository, WorkerPool pool, JsonMapper json, Clock clock, Settings settings,
            DatasetResolver datasets) {
        this(repository, pool, json, clock, settings, datasets, ActiveJobQuota.NONE);
    }

    /** @param quota each submitter's quota of QUEUED and RUNNING experiments */
    public ExperimentService(JobRepository repository, WorkerPool pool, JsonMapper json, Clock clock, Settings settings,
            DatasetResolver datasets, ActiveJobQuota quota) {
        this.quota = quota;
        this.datasets = datasets;
        this.repository = repository;
        this.pool = pool;
        this.json = json;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Validates and queues one experiment.
     *
     * @param idempotencyKey null, or a key: the same key and spec return the original job; the
     *                       same key and another spec are refused
     * @throws SubmissionException when refused
     */
    public Submitted submit(ExperimentSpecification spec, String idempotencyKey, String submittedBy) {
        ExperimentSpecification full = checked(spec, -1);
        String canonical = json.writeValueAsString(full);
        String hash = sha256(canonical);
        if (idempotencyKey != null) {
            Optional<Job> earlier = repository.findByIdempotencyKey(idempotencyKey);
            if (earlier.isPresent()) {
                if (!earlier.get().specHash().equals(hash)) {
                    throw new SubmissionException.IdempotencyConflict(idempotencyKey);
                }
                return new Submitted(earlier.get(), false);
            }
        }
        requireCapacity(1);
        NewJob job = newJob(full, canonical, hash, idempotencyKey, submittedBy);
        try {
            withinQuota(submittedBy, 1, max -> repository.insertWithinQuota(List.of(job), clock.instant(), submittedBy, max));
        } catch (org.springframework.dao.DuplicateKeyException race) {
            // Another request with the same key won the race: answer as its replay.
            return submit(spec, idempotencyKey, submittedBy);
        }
        logQueued(job);
        pool.wake();
        return new Submitted(repository.find(job.id()).orElseThrow(), true);
    }

    /** Validates every spec first, then queues all of them or none. */
    public List<Job> submitBatch(List<ExperimentSpecification> specs, String submittedBy) {
        if (specs.isEmpty()) {
            throw new SubmissionException.Invalid(List.of(new Violation("", "a batch needs at least one experiment")));
        }
        if (specs.size() > settings.maxBatch()) {
            throw new SubmissionException.Invalid(List.of(new Violation("",
                    "a batch holds at most " + settings.maxBatch() + " experiments, got " + specs.size(), "ntklab.max-batch")));
        }
        List<Violation> violations = new ArrayList<>();
        List<ExperimentSpecification> full = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            try {
                full.add(checked(specs.get(i), i));
            } catch (SubmissionException.Invalid e) {
                violations.addAll(e.violations());
            }
        }
        if (!violations.isEmpty()) {
            throw new SubmissionException.Invalid(violations);
        }
        requireCapacity(specs.size());
        List<NewJob> jobs = new ArrayList<>();
        for (ExperimentSpecification spec : full) {
            String canonical = json.writeValueAsString(spec);
            jobs.add(newJob(spec, canonical, sha256(canonical), null, submittedBy));
        }
        withinQuota(submittedBy, jobs.size(), max -> repository.insertWithinQuota(jobs, clock.instant(), submittedBy, max));
        jobs.forEach(ExperimentService::logQueued);
        pool.wake();
        return jobs.stream().map(j -> repository.find(j.id()).orElseThrow()).toList();
    }

    public Optional<Job> find(UUID id) {
        return repository.find(id).map(this::withLiveProgress);
    }

    public Page<Job> list(JobFilter filter, int page, int size) {
        Page<Job> jobs = repository.list(filter, page, size);
        return new Page<>(jobs.items().stream().map(this::withLiveProgress).toList(), jobs.page(), jobs.size(),
                jobs.total());
    }

    /** Cancels a queued job, or asks a running one (here or on another instance) to stop within a step. */
    public JobRepository.CancelOutcome cancel(UUID id) {
        JobRepository.CancelOutcome outcome = repository.cancel(id, clock.instant());
        if (outcome == JobRepository.CancelOutcome.REQUESTED) {
            pool.cancelLocal(id);
        }
        if (outcome == JobRepository.CancelOutcome.CANCELLED || outcome == JobRepository.CancelOutcome.REQUESTED) {
            try (JobLog context = JobLog.of(id, null, null)) {
                log.info(outcome == JobRepository.CancelOutcome.CANCELLED ? "job {} cancelled while queued"
                        : "job {} asked to stop: it ends cancelled within a step", id);
            }
        }
        return outcome;
    }

    private static void logQueued(NewJob job) {
        try (JobLog context = JobLog.of(job.id(), job.sweepId(), job.submittedBy())) {
            log.info("job {} queued by {}", job.id(), job.submittedBy());
        }
    }

    public Optional<Artifact> artifact(UUID id, String name) {
        return repository.artifact(id, name);
    }

    public List<String> artifactNames(UUID id) {
        return repository.artifactNames(id);
    }

    /** Parses a stored spec. */
    public ExperimentSpecification spec(Job job) {
        return json.readValue(job.spec(), ExperimentSpecification.class);
    }

    /** Parses a stored result; empty unless SUCCEEDED. */
    public Optional<ExperimentReport> report(Job job) {
        return job.result() == null ? Optional.empty() : Optional.of(json.readValue(job.result(), ExperimentReport.class));
    }

    public long queued() {
        return repository.countByStatus(JobStatus.QUEUED);
    }

    /** The defaulted spec, or the violations of its rules and of the memory budget. */
    private ExperimentSpecification checked(ExperimentSpecification spec, int index) {
        return checked(spec, index, index >= 0 ? "[" + index + "]" : "", "");
    }

    /**
     * The defaulted spec, or {@link SubmissionException}s for its rules (fields prefixed with
     * {@code prefix}, messages suffixed with {@code context}) and for the memory budget.
     */
    public ExperimentSpecification checked(ExperimentSpecification spec, int index, String prefix, String context) {
        DatasetResolver resolver = datasets.rememberingShapes();
        ExperimentSpecification full = spec.withDefaults(resolver);
        List<Violation> violations = full.validate(settings.limits(), resolver);
        if (!violations.isEmpty()) {
            violations = violations.stream()
                    .map(v -> v.with(prefix + (v.field().isEmpty() || prefix.isEmpty() ? "" : ".") + v.field(),
                            v.message() + context))
                    .toList();
            throw new SubmissionException.Invalid(violations);
        }
        MemoryEstimate estimate = full.memoryEstimate(resolver);
        if (estimate.total() > settings.memoryBudget()) {
            throw new SubmissionException.OverMemoryBudget(index, estimate.total(), settings.memoryBudget(),
                    estimate.breakdown());
        }
        return full;
    }

    /** @throws SubmissionException.QueueFull when {@code count} more jobs would not fit the queue */
    public void requireCapacity(int count) {
        if (repository.countByStatus(JobStatus.QUEUED) + count > settings.queueCapacity()) {
            throw new SubmissionException.QueueFull(settings.queueCapacity(), settings.retryAfterSeconds());
        }
    }

    /**
     * Stores {@code count} new experiments of {@code submittedBy} with {@code insert}, which is given
     * the submitter's quota (0: none) and answers as {@link JobRepository#insertWithinQuota}.
     *
     * @throws SubmissionException.QuotaExceeded when they would take the submitter over its quota
     */
    public void withinQuota(String submittedBy, int count, java.util.function.LongFunction<OptionalLong> insert) {
        ActiveJobQuota.Limit limit = quota.of(submittedBy);
        OptionalLong refused;
        if (!limit.bounded() || submittedBy == null) {
            refused = insert.apply(0);
        } else {
            synchronized (submitterLocks.computeIfAbsent(submittedBy, k -> new Object())) {
                refused = insert.apply(limit.maxActiveJobs());
            }
        }
        if (refused.isPresent()) {
            throw new SubmissionException.QuotaExceeded(submittedBy, limit.maxActiveJobs(), refused.getAsLong(), count,
                    limit.setting(), settings.retryAfterSeconds());
        }
    }

    /** The canonical JSON of a defaulted spec and its hash. */
    public String canonical(ExperimentSpecification full) {
        return json.writeValueAsString(full);
    }

    private static NewJob newJob(ExperimentSpecification spec, String canonical, String hash, String key, String by) {
        return new NewJob(UUID.randomUUID(), spec.name(), canonical, hash, key, by, spec.tags(), spec.training().steps());
    }

    private Job withLiveProgress(Job job) {
        WorkerPool.RunningJob live = pool.running().get(job.id());
        if (live == null || job.status() != JobStatus.RUNNING) {
            return job;
        }
        return new Job(job.id(), job.name(), job.status(), job.spec(), job.specHash(), job.idempotencyKey(),
                job.submittedBy(), job.tags(), job.createdAt(), job.startedAt(), job.finishedAt(), live.step(),
                live.steps(), job.attempts(), job.leaseOwner(), job.leaseExpiresAt(), job.cancelRequested(), job.error(),
                job.result(), job.sweepId(), job.sweepIndex(), job.overrides(), job.failure());
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
