package org.ntklab.core.experiment;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A stopwatch that charges elapsed time to the innermost {@link Phase} entered: entering a phase
 * inside another (a kernel record inside training) pauses the outer one, so every nanosecond
 * between {@link #enter} calls goes to exactly one phase and the phases sum to the time spent inside
 * them. Time outside every phase is not charged (it shows as {@code duration - sum}). One clock
 * times one run on one thread; it is not thread-safe.
 */
public final class PhaseClock {

    private final LongSupplier nanoTime;
    private final long started;
    private final Map<Phase, Long> nanos = new EnumMap<>(Phase.class);
    private final Deque<Phase> open = new ArrayDeque<>();
    private final List<Timings.ProbeTime> probes = new ArrayList<>();
    private long mark;

    /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}); the run starts now */
    public PhaseClock(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
        this.mark = started;
    }

    /** A clock on {@link System#nanoTime()}, started now. */
    public static PhaseClock start() {
        return new PhaseClock(System::nanoTime);
    }

    /** A span of one phase; closing it returns to the enclosing phase (and closes any span left open inside it). */
    public final class Span implements AutoCloseable {
        private final Phase phase;
        private boolean closed;

        private Span(Phase phase) {
            this.phase = phase;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            charge();
            // Normally the innermost; an exception may have left inner spans open: close them too.
            while (!open.isEmpty() && open.pop() != phase) {
                // discard the inner phases, already charged up to now
            }
        }
    }

    /** Starts charging time to {@code phase} until the returned span is closed (use try-with-resources). */
    public Span enter(Phase phase) {
        charge();
        open.push(phase);
        return new Span(phase);
    }

    /** Nanoseconds now on this clock's time source. */
    public long now() {
        return nanoTime.getAsLong();
    }

    /** Records one probe's Lanczos run, measured by the caller with {@link #now()}; its time is charged by the enclosing span. */
    public void probe(int step, HessianProbe probe, long nanos) {
        probes.add(new Timings.ProbeTime(step, probe.index(), probe.output(), nanos / 1e9));
    }

    /** Seconds since the clock was created. */
    public double elapsedSeconds() {
        return (nanoTime.getAsLong() - started) / 1e9;
    }

    /** The seconds charged so far, the open phases included up to now. */
    public Timings timings() {
        charge();
        Map<Phase, Double> seconds = new EnumMap<>(Phase.class);
        nanos.forEach((phase, ns) -> seconds.put(phase, ns / 1e9));
        return new Timings(seconds, probes);
    }

    private void charge() {
        long now = nanoTime.getAsLong();
        Phase current = open.peek();
        if (current != null) {
            nanos.merge(current, now - mark, Long::sum);
        }
        mark = now;
    }
}
