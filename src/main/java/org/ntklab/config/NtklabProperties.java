package org.ntklab.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The service's settings, under {@code ntklab.*}.
 *
 * @param workers        experiments run at once on this instance; 0 chooses cores / ND4J threads (at least 1),
 *                       so that workers x ND4J's OpenMP threads never exceed the cores
 * @param queueCapacity  the most QUEUED experiments (all instances together); beyond it submissions get 429
 * @param memoryBudget   the most memory one experiment may need (weights, activations, kernels, Krylov basis);
 *                       larger ones are refused at submission with 422
 * @param lease          how long a claimed job is held without a heartbeat before another instance re-queues it
 * @param heartbeat      how often running jobs renew their lease, publish progress and learn of cancellation
 * @param poll           how often the queue is polled
 * @param maxAttempts    claims per job before an expired lease fails it
 * @param instanceId     this instance's name in job leases (default: host name and a random suffix)
 * @param maxBatch       the most experiments in one batch submission
 * @param maxBodySize    the largest request body accepted
 * @param shutdownGrace  how long a stopping instance waits for running steps before handing jobs back
 * @param limits         per-experiment limits reported in problem details when exceeded
 * @param nd4jThreads    OpenMP and BLAS threads per experiment; 0 keeps ND4J's default (OMP_NUM_THREADS, else the cores)
 * @param retryAfter     what a 429 (queue full) advises
 * @param maxGrid        the most experiments one sweep may expand to
 * @param datasets       limits of dataset uploads
 * @param writeTimeout   how long a finished job's result is retried while the database is unreachable or out of
 *                       space; after it the job is left to its lease (re-queued when the lease expires)
 * @param minFreeDisk    readiness is DOWN while the database's storage has less free space: the directory of the
 *                       embedded H2 file database, or with a server database {@code databaseCapacity} less its size
 * @param databaseCapacity with a server database (PostgreSQL): the space it may fill (its volume or quota), so that
 *                       readiness can watch what is left; unset, only whether the database accepts writes is watched
 * @param workerNice     the Linux nice value of worker threads and their ND4J/OpenMP threads (0..19, 0 = normal
 *                       priority), so that request threads are not starved while every worker computes
 * @param warmup         the start-up warm-up of the engine's hot paths; readiness waits for it
 */
@ConfigurationProperties("ntklab")
public record NtklabProperties(
        @DefaultValue("0") int workers,
        @DefaultValue("1000") int queueCapacity,
        @DefaultValue("4GB") DataSize memoryBudget,
        @DefaultValue("30s") Duration lease,
        @DefaultValue("3s") Duration heartbeat,
        @DefaultValue("500ms") Duration poll,
        @DefaultValue("3") int maxAttempts,
        String instanceId,
        @DefaultValue("100") int maxBatch,
        @DefaultValue("16MB") DataSize maxBodySize,
        @DefaultValue("20s") Duration shutdownGrace,
        @DefaultValue Limits limits,
        @DefaultValue("0") int nd4jThreads,
        @DefaultValue("10s") Duration retryAfter,
        @DefaultValue("500") int maxGrid,
        @DefaultValue Datasets datasets,
        @DefaultValue("5m") Duration writeTimeout,
        @DefaultValue("64MB") DataSize minFreeDisk,
        @DefaultValue("10") int workerNice,
        DataSize databaseCapacity,
        @DefaultValue Warmup warmup) {

    /**
     * Before readiness reports UP and before the workers claim anything, small synthetic experiments
     * run every hot path once (native libraries, thread pools, JIT), so that the first experiment runs
     * at the speed of the second ({@link org.ntklab.core.experiment.Warmup}).
     *
     * @param enabled    whether to warm up (off in the test suite, where it would slow every context)
     * @param maxSeconds the bound on the warm-up; after it readiness reports UP whatever was done
     */
    public record Warmup(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("60") int maxSeconds) {
    }

    /**
     * Limits of one dataset upload ({@code POST /api/v1/datasets}); {@code max-body-size} does not
     * apply to it. Over a limit, the upload is refused with 413.
     *
     * @param maxBytes   the upload body (and an archive's arrays uncompressed)
     * @param maxRows    examples n
     * @param maxColumns columns of X and Y together
     */
    public record Datasets(
            @DefaultValue("64MB") DataSize maxBytes,
            @DefaultValue("1000000") int maxRows,
            @DefaultValue("10000") int maxColumns) {
    }

    /**
     * @param maxSteps             gradient-descent steps
     * @param maxWidth             any layer width
     * @param maxDepth             hidden layers
     * @param maxInputValues       n x d of the data
     * @param maxParameters        trainable parameters p
     * @param maxLanczosIterations Lanczos iterations per probe
     * @param maxOutputs           output dimension c
     * @param maxProbes            Hessian probes per experiment
     */
    public record Limits(
            @DefaultValue("100000") int maxSteps,
            @DefaultValue("1000000") int maxWidth,
            @DefaultValue("16") int maxDepth,
            @DefaultValue("10000000") long maxInputValues,
            @DefaultValue("50000000") long maxParameters,
            @DefaultValue("1000") int maxLanczosIterations,
            @DefaultValue("1000") int maxOutputs,
            @DefaultValue("64") int maxProbes) {
    }
}
