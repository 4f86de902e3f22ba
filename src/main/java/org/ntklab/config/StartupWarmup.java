package org.ntklab.config;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ntklab.core.experiment.Warmup;
import org.ntklab.core.train.Cancellation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health {@code warmup} (in the readiness group): OUT_OF_SERVICE while the service warms up (on its
 * own daemon thread, at most {@code ntklab.warmup.max-seconds}: the request path first, then the
 * engine, {@link Warmup}), UP once it has finished, failed or was disabled. The worker pool starts
 * claiming when {@link #finished()} completes, so that a job submitted during start-up also runs warm.
 */
public class StartupWarmup implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(StartupWarmup.class);

    private final boolean enabled;
    private final int maxSeconds;
    private final Function<Cancellation, Warmup.Report> work;
    private final CompletableFuture<Warmup.Report> finished = new CompletableFuture<>();
    private volatile boolean stopped;

    public StartupWarmup(NtklabProperties.Warmup settings) {
        this(settings, stop -> { });
    }

    /**
     * @param requestPath the service's own path of a first experiment ({@code RequestPathWarmup}),
     *                    taken first; the engine's warm-up has what is left of the bound
     */
    public StartupWarmup(NtklabProperties.Warmup settings, Consumer<Cancellation> requestPath) {
        this(settings.enabled(), settings.maxSeconds(), stop -> {
            long started = System.nanoTime();
            requestPath.accept(stop);
            double spent = (System.nanoTime() - started) / 1e9;
            log.info("warm-up: the request path in {} s", String.format("%.1f", spent));
            Warmup.Report engine = Warmup.run(Math.max(0.0, settings.maxSeconds() - spent), System::nanoTime, stop);
            return new Warmup.Report(engine.runs(), engine.planned(), spent + engine.seconds(), engine.complete());
        });
    }

    /** @param work the warm-up itself, stopping when its argument asks (tests inject a controllable one) */
    StartupWarmup(boolean enabled, int maxSeconds, Function<Cancellation, Warmup.Report> work) {
        if (maxSeconds < 0) {
            throw new IllegalArgumentException("ntklab.warmup.max-seconds must be >= 0, got " + maxSeconds);
        }
        this.enabled = enabled;
        this.maxSeconds = maxSeconds;
        this.work = work;
    }

    /** Starts the warm-up on a daemon thread (or completes at once when disabled); idempotent. */
    public synchronized void start() {
        if (finished.isDone() || stopped) {
            return;
        }
        if (!enabled || maxSeconds == 0) {
            finished.complete(new Warmup.Report(0, 0, 0.0, false));
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                Warmup.Report report = work.apply(() -> stopped);
                log.info("warm-up: {} of {} experiments, {} s in all{}", report.runs(), report.planned(),
                        String.format("%.1f", report.seconds()), report.complete() ? "" : " (stopped at the bound)");
                finished.complete(report);
            } catch (RuntimeException | Error e) {
                log.warn("warm-up failed; the first experiment will run cold", e);
                finished.complete(new Warmup.Report(0, 0, 0.0, false));
            }
        }, "ntklab-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops a running warm-up at its next step. */
    public void stop() {
        stopped = true;
    }

    /** Completes with the report when the warm-up has ended (at once when disabled). */
    public CompletableFuture<Warmup.Report> finished() {
        return finished;
    }

    @Override
    public Health health() {
        Warmup.Report report = finished.getNow(null);
        if (report == null) {
            return Health.status(Status.OUT_OF_SERVICE).withDetail("reason", "warming up the engine")
                    .withDetail("maxSeconds", maxSeconds).build();
        }
        return Health.up().withDetail("enabled", enabled).withDetail("runs", report.runs())
                .withDetail("seconds", report.seconds()).withDetail("complete", report.complete()).build();
    }
}
