package org.ntklab.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PhaseClockTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final PhaseClock clock = new PhaseClock(now::get);

    private void advance(long nanos) {
        now.addAndGet(nanos);
    }

    @Test
    void aNestedPhasePausesTheOuterOneSoThePhasesSumToTheTimeInside() {
        advance(7); // before any phase: not charged
        try (PhaseClock.Span training = clock.enter(Phase.TRAINING)) {
            advance(100);
            try (PhaseClock.Span records = clock.enter(Phase.KERNEL_RECORDS)) {
                advance(30);
                try (PhaseClock.Span hessian = clock.enter(Phase.HESSIAN)) {
                    advance(20);
                }
                advance(5);
            }
            advance(50);
        }
        Timings t = clock.timings();
        assertThat(t.phases()).containsOnlyKeys(Phase.TRAINING, Phase.KERNEL_RECORDS, Phase.HESSIAN);
        assertThat(t.seconds(Phase.TRAINING)).isEqualTo(150e-9);
        assertThat(t.seconds(Phase.KERNEL_RECORDS)).isEqualTo(35e-9);
        assertThat(t.seconds(Phase.HESSIAN)).isEqualTo(20e-9);
        assertThat(t.seconds(Phase.SETUP)).isZero();
        assertThat(t.total()).isEqualTo(205e-9);
        assertThat(clock.elapsedSeconds()).isEqualTo(212e-9);
    }

    @Test
    void aSpanLeftOpenByAnExceptionIsClosedWithItsEnclosingSpan() {
        assertThatThrownBy(() -> {
            try (PhaseClock.Span training = clock.enter(Phase.TRAINING)) {
                advance(10);
                clock.enter(Phase.HESSIAN); // never closed: the probe threw
                advance(4);
                throw new IllegalStateException("cancelled");
            }
        }).hasMessage("cancelled");
        advance(1000); // outside every phase again
        try (PhaseClock.Span exports = clock.enter(Phase.EXPORTS)) {
            advance(3);
        }
        Timings t = clock.timings();
        assertThat(t.seconds(Phase.TRAINING)).isEqualTo(10e-9);
        assertThat(t.seconds(Phase.HESSIAN)).isEqualTo(4e-9);
        assertThat(t.seconds(Phase.EXPORTS)).isEqualTo(3e-9);
    }

    @Test
    void probesAreRecordedInOrderAndOpenPhasesCountUpToNow() {
        PhaseClock.Span hessian = clock.enter(Phase.HESSIAN);
        long start = clock.now();
        advance(40);
        clock.probe(0, new HessianProbe(2, 1), clock.now() - start);
        advance(60);
        clock.probe(25, new HessianProbe(3, 0), 60);
        Timings t = clock.timings(); // the open span is charged up to now
        assertThat(t.seconds(Phase.HESSIAN)).isEqualTo(100e-9);
        assertThat(t.hessianProbes()).containsExactly(new Timings.ProbeTime(0, 2, 1, 40e-9),
                new Timings.ProbeTime(25, 3, 0, 60e-9));
        advance(10);
        hessian.close();
        hessian.close(); // idempotent
        assertThat(clock.timings().seconds(Phase.HESSIAN)).isEqualTo(110e-9);
    }
}
