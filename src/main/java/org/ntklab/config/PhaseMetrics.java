package org.ntklab.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Consumer;
import org.ntklab.core.experiment.Phase;
import org.ntklab.core.experiment.Timings;

/**
 * The phases of every succeeded experiment as Prometheus timers, {@code ntklab_phase_seconds{phase}}
 * (count, sum and max per phase; {@code phase} is {@link Phase#key()}): the same seconds as the
 * result's {@code timings}.
 */
public class PhaseMetrics implements Consumer<Timings> {

    private final MeterRegistry registry;

    public PhaseMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void accept(Timings timings) {
        timings.phases().forEach((phase, seconds) -> timer(phase).record(Duration.ofNanos(Math.round(seconds * 1e9))));
    }

    private Timer timer(Phase phase) {
        return Timer.builder("ntklab.phase").description("seconds experiments spent in each phase (SETUP .. EXPORTS)")
                .tag("phase", phase.key()).register(registry);
    }
}
