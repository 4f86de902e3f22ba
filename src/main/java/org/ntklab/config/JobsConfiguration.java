package org.ntklab.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.InetAddress;
import java.time.Clock;
import java.util.UUID;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.api.RequestPathWarmup;
import org.ntklab.core.array.Parallel;
import org.ntklab.jobs.ActiveJobQuota;
import org.ntklab.jobs.ExperimentExecution;
import org.ntklab.jobs.ExperimentService;
import org.ntklab.jobs.JobEvents;
import org.ntklab.jobs.JobRepository;
import org.ntklab.jobs.JobStatus;
import org.ntklab.jobs.WorkerPool;
import org.ntklab.jobs.WorkerSettings;
import org.ntklab.jobs.WorkerThreads;
import org.ntklab.jobs.dataset.DatasetLimits;
import org.ntklab.jobs.dataset.DatasetRepository;
import org.ntklab.jobs.dataset.DatasetService;
import org.ntklab.jobs.spec.Limits;
import org.ntklab.jobs.sweep.SweepService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Wires the framework-free job machinery into Spring: settings, the worker pool's life cycle, metrics. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NtklabProperties.class)
public class JobsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(JobsConfiguration.class);
    /** OpenBLAS's environment variable: log2 of the cycles its threads spin after a product before they sleep. */
    private static final String OPENBLAS_THREAD_TIMEOUT = "OPENBLAS_THREAD_TIMEOUT";

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Loads ND4J, and with it OpenBLAS, on a thread at the workers' nice value: OpenBLAS's own
     * server threads start when the library loads and inherit that thread's priority (and its name,
     * {@code ntklab-worker-n}), so they yield to request threads like the workers and their OpenMP
     * threads do, instead of computing at normal priority.
     */
    @Bean
    ExperimentExecution.RuntimeInfo runtimeInfo(NtklabProperties properties, ObjectProvider<BuildProperties> build) {
        return new WorkerThreads("ntklab-worker-native", properties.workerNice()).call(() -> loadNd4j(properties, build));
    }

    private static ExperimentExecution.RuntimeInfo loadNd4j(NtklabProperties properties,
            ObjectProvider<BuildProperties> build) {
        if (properties.nd4jThreads() > 0) {
            Nd4j.getEnvironment().setMaxThreads(properties.nd4jThreads());
            Nd4j.factory().blas().setMaxThreads(properties.nd4jThreads());
        }
        // what each experiment's own loops may use (ExperimentExecution limits its worker to it)
        int threads = properties.nd4jThreads() > 0 ? Math.min(properties.nd4jThreads(), Parallel.threads())
                : Parallel.threads();
        BuildProperties info = build.getIfAvailable();
        return new ExperimentExecution.RuntimeInfo(info == null ? "dev" : info.getVersion(),
                info == null || info.get("nd4j.version") == null ? "unknown" : info.get("nd4j.version"),
                threads, Nd4j.factory().blas().getMaxThreads(),
                System.getProperty("java.version"), instanceId(properties));
    }

    @Bean
    ExperimentExecution experimentExecution(JsonMapper json, ExperimentExecution.RuntimeInfo runtime,
            DatasetService datasets, ObjectProvider<MeterRegistry> registry) {
        MeterRegistry meters = registry.getIfAvailable();
        return meters == null ? new ExperimentExecution(json, runtime, datasets)
                : new ExperimentExecution(json, runtime, datasets, new PhaseMetrics(meters));
    }

    @Bean
    DatasetService datasetService(DatasetRepository repository, NtklabProperties properties, Clock clock) {
        NtklabProperties.Datasets d = properties.datasets();
        return new DatasetService(repository, new DatasetLimits(d.maxBytes().toBytes(), d.maxRows(), d.maxColumns()),
                clock);
    }

    @Bean
    WorkerPool workerPool(JobRepository repository, ExperimentExecution execution, NtklabProperties properties,
            ExperimentExecution.RuntimeInfo runtime, Clock clock, ObjectProvider<JobEvents> events) {
        int workers = properties.workers() > 0 ? properties.workers()
                : Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, runtime.nd4jThreads()));
        WorkerSettings settings = new WorkerSettings(workers, properties.lease(), properties.heartbeat(),
                properties.poll(), properties.maxAttempts(), runtime.instance(), properties.writeTimeout());
        log.info("{} worker(s) x {} ND4J thread(s) on {} core(s), nice {}; instance {}", workers, runtime.nd4jThreads(),
                Runtime.getRuntime().availableProcessors(), properties.workerNice(), runtime.instance());
        if (System.getenv(OPENBLAS_THREAD_TIMEOUT) == null) {
            log.info("{} is not set: OpenBLAS's threads spin for about 0.1 s after each matrix product, on cores the "
                    + "engine's own loops need; set {}=4 in the environment (README, \"OpenBLAS threads\")",
                    OPENBLAS_THREAD_TIMEOUT, OPENBLAS_THREAD_TIMEOUT);
        }
        return new WorkerPool(repository, execution, settings, clock, events.getIfAvailable(() -> JobEvents.NONE),
                new WorkerThreads("ntklab-worker", properties.workerNice()));
    }

    /** Health {@code warmup}: readiness waits for the warm-up of the request path and the engine (ntklab.warmup.*). */
    @Bean("warmup")
    StartupWarmup warmup(NtklabProperties properties, ObjectProvider<RequestPathWarmup> requestPath) {
        RequestPathWarmup path = requestPath.getIfAvailable();
        return path == null ? new StartupWarmup(properties.warmup()) : new StartupWarmup(properties.warmup(), path);
    }

    @Bean
    SmartLifecycle workerPoolLifecycle(WorkerPool pool, NtklabProperties properties, StartupWarmup warmup) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                running = true;
                // The workers claim only once the engine is warm, so the first job runs at warm speed.
                warmup.finished().thenRun(() -> {
                    synchronized (this) {
                        if (running) {
                            pool.start();
                        }
                    }
                });
                warmup.start();
            }

            @Override
            public void stop() {
                warmup.stop();
                synchronized (this) {
                    running = false;
                }
                pool.shutdown(properties.shutdownGrace());
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }

    @Bean
    ExperimentService experimentService(JobRepository repository, WorkerPool pool, JsonMapper json, Clock clock,
            NtklabProperties properties, DatasetService datasets, ObjectProvider<ActiveJobQuota> quota) {
        NtklabProperties.Limits l = properties.limits();
        Limits limits = new Limits(l.maxSteps(), l.maxWidth(), l.maxDepth(), l.maxInputValues(), l.maxParameters(),
                l.maxLanczosIterations(), l.maxOutputs(), l.maxProbes());
        return new ExperimentService(repository, pool, json, clock, new ExperimentService.Settings(limits,
                properties.queueCapacity(), properties.memoryBudget().toBytes(), properties.retryAfter().toSeconds(),
                properties.maxBatch()), datasets, quota.getIfAvailable(() -> ActiveJobQuota.NONE));
    }

    @Bean
    SweepService sweepService(JobRepository repository, ExperimentService experiments, WorkerPool pool, JsonMapper json,
            Clock clock, NtklabProperties properties) {
        return new SweepService(repository, experiments, pool, json, clock, properties.maxGrid());
    }

    @Bean
    MeterBinder jobGauges(JobRepository repository, WorkerPool pool) {
        return registry -> {
            Gauge.builder("ntklab.jobs.queued", repository, r -> r.countByStatus(JobStatus.QUEUED))
                    .description("experiments waiting in the queue (all instances)").register(registry);
            Gauge.builder("ntklab.jobs.running", pool, p -> p.running().size())
                    .description("experiments running on this instance").register(registry);
            Gauge.builder("ntklab.workers", pool, WorkerPool::workerCount)
                    .description("worker threads of this instance").register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("ntklab.jobs.write.retries", pool, WorkerPool::writeRetries)
                    .description("final job writes retried because the database was unreachable or full").register(registry);
        };
    }

    private static String instanceId(NtklabProperties properties) {
        if (properties.instanceId() != null && !properties.instanceId().isBlank()) {
            return properties.instanceId();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "ntklab";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
