package org.ntklab.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ntklab.core.experiment.Warmup;
import org.springframework.boot.health.contributor.Status;

class StartupWarmupTest {

    private static final long WAIT_SECONDS = 30;
    /**
     * How far the real warm-up may run past its bound: it stops between steps and between Lanczos
     * runs, so by one step or one 30-step Lanczos run of its small networks, milliseconds on an idle
     * machine but seconds on a loaded one (4.1 s past a 1 s bound was seen at load average 20).
     */
    private static final double OVERRUN_SECONDS = 8.0;

    @Test
    void readinessIsOutOfServiceUntilTheWarmupHasFinished() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        StartupWarmup warmup = new StartupWarmup(true, 60, stop -> {
            await(release);
            return new Warmup.Report(3, 3, 1.5, true);
        });
        assertThat(warmup.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE); // not even started
        warmup.start();
        assertThat(warmup.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(warmup.finished()).isNotDone();
        release.countDown();
        Warmup.Report report = warmup.finished().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(report.runs()).isEqualTo(3);
        assertThat(warmup.health().getStatus()).isEqualTo(Status.UP);
        assertThat(warmup.health().getDetails()).containsEntry("complete", true).containsEntry("runs", 3);
    }

    @Test
    void stoppingEndsTheWarmupAndAFailureStillMakesItReady() throws Exception {
        StartupWarmup stopped = new StartupWarmup(true, 60, stop -> {
            while (!stop.isCancelled()) {
                Thread.onSpinWait();
            }
            return new Warmup.Report(0, 3, 0.1, false);
        });
        stopped.start();
        stopped.stop();
        assertThat(stopped.finished().get(WAIT_SECONDS, TimeUnit.SECONDS).complete()).isFalse();
        assertThat(stopped.health().getStatus()).isEqualTo(Status.UP);

        StartupWarmup failing = new StartupWarmup(true, 60, stop -> {
            throw new IllegalStateException("no native backend");
        });
        failing.start();
        failing.finished().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(failing.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void disabledItIsReadyAtOnce() {
        StartupWarmup warmup = new StartupWarmup(new NtklabProperties.Warmup(false, 60));
        warmup.start();
        assertThat(warmup.finished()).isDone();
        assertThat(warmup.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void theRealWarmupRespectsItsBound() throws Exception {
        // One second of the real plan: it stops inside its first experiments, within one step.
        org.nd4j.linalg.factory.Nd4j.create(1); // ND4J's native start-up is not the warm-up's to bound
        StartupWarmup warmup = new StartupWarmup(new NtklabProperties.Warmup(true, 1));
        long started = System.nanoTime();
        warmup.start();
        Warmup.Report report = warmup.finished().get(WAIT_SECONDS, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(report.complete()).isFalse();
        assertThat(report.seconds()).isLessThan(1.0 + OVERRUN_SECONDS);
        assertThat(seconds).isLessThan(WAIT_SECONDS);
        assertThat(warmup.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void theRequestPathGoesFirstAndItsTimeCountsAgainstTheBound() throws Exception {
        // The request path takes longer than the whole bound: the engine is left no time and runs nothing.
        org.nd4j.linalg.factory.Nd4j.create(1);
        java.util.concurrent.atomic.AtomicLong tookUntil = new java.util.concurrent.atomic.AtomicLong();
        StartupWarmup warmup = new StartupWarmup(new NtklabProperties.Warmup(true, 1), stop -> {
            long until = System.nanoTime() + 1_200_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            tookUntil.set(System.nanoTime());
        });
        warmup.start();
        Warmup.Report report = warmup.finished().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(tookUntil.get()).isPositive();
        assertThat(report.runs()).isZero();
        assertThat(report.complete()).isFalse();
        assertThat(report.seconds()).isGreaterThanOrEqualTo(1.2).isLessThan(1.2 + OVERRUN_SECONDS);
        assertThat(warmup.health().getStatus()).isEqualTo(Status.UP);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
