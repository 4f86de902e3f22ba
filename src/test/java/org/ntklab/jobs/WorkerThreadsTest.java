package org.ntklab.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link WorkerThreads#call}: what runs there is at the workers' nice value, and so is every thread
 * it starts (as OpenBLAS's server threads are, when ND4J is loaded there), while the caller keeps its own.
 */
class WorkerThreadsTest {

    @Test
    void threadsStartedInsideCallInheritTheNiceValue() {
        Integer callerNice = WorkerThreads.currentNice();
        assumeTrue(callerNice != null && callerNice < 7, "Linux with /proc and a caller below nice 7");
        AtomicReference<Integer> child = new AtomicReference<>();
        Integer inside = new WorkerThreads("ntklab-worker-native", 7).call(() -> {
            Thread started = new Thread(() -> child.set(WorkerThreads.currentNice())); // like a native library's pool
            started.start();
            started.join();
            return WorkerThreads.currentNice();
        });
        assertThat(inside).isEqualTo(7);
        assertThat(child.get()).isEqualTo(7);
        assertThat(WorkerThreads.currentNice()).as("the caller's own value is unchanged").isEqualTo(callerNice);
    }

    @Test
    void callReturnsTheResultAndRethrowsFailures() {
        WorkerThreads threads = new WorkerThreads("ntklab-worker-native", 0);
        assertThat(threads.call(() -> 42)).isEqualTo(42);
        assertThatThrownBy(() -> threads.call(() -> {
            throw new IllegalArgumentException("boom");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
    }
}
