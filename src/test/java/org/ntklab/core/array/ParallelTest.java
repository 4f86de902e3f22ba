package org.ntklab.core.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The split loops cover every element once, in ranges aligned to 8 elements, and hand the pieces
 * of a thread that is held back to the others.
 */
class ParallelTest {

    @Test
    void everyElementIsCoveredOnceInAlignedRanges() {
        for (int n : new int[] {0, 1, 7, 8191, 65_536, 65_543, 1_000_003}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(n);
            AtomicInteger misaligned = new AtomicInteger();
            Parallel.forRange(n, (from, to) -> {
                if (from % 8 != 0 || (to % 8 != 0 && to != n)) {
                    misaligned.incrementAndGet();
                }
                for (int i = from; i < to; i++) {
                    seen.incrementAndGet(i);
                }
            });
            assertThat(misaligned.get()).as("n = %d", n).isZero();
            for (int i = 0; i < n; i++) {
                assertThat(seen.get(i)).as("n = %d, element %d", n, i).isEqualTo(1);
            }
        }
        for (int blocks : new int[] {1, 2, 3, 20, 97}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(blocks);
            Parallel.forBlocks(blocks, 1 << 16, (from, to) -> {
                for (int b = from; b < to; b++) {
                    seen.incrementAndGet(b);
                }
            });
            for (int b = 0; b < blocks; b++) {
                assertThat(seen.get(b)).as("%d blocks, block %d", blocks, b).isEqualTo(1);
            }
        }
    }

    /**
     * The limit is the calling thread's: a worker limited to one thread does not limit another
     * (a test, a second worker), and restoring it gives the loops their threads back.
     */
    @Test
    void aLimitHoldsForTheThreadThatSetItOnly() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "one core");
        int all = Parallel.threads();
        assertThat(all).isGreaterThanOrEqualTo(2);
        int previous = Parallel.limitThreads(1);
        try {
            assertThat(Parallel.threads()).isEqualTo(1);
            int[] elsewhere = new int[1];
            Thread other = new Thread(() -> elsewhere[0] = Parallel.threads());
            other.start();
            other.join();
            assertThat(elsewhere[0]).as("another thread's loops").isEqualTo(all);
            java.util.Set<String> names = ConcurrentHashMap.newKeySet();
            Parallel.forRange(1 << 20, (from, to) -> names.add(Thread.currentThread().getName()));
            assertThat(names).as("a loop of the limited thread runs on it alone")
                    .containsExactly(Thread.currentThread().getName());
        } finally {
            Parallel.limitThreads(previous);
        }
        assertThat(Parallel.threads()).isEqualTo(all);
    }

    @Test
    void aThreadHeldBackLeavesItsPiecesToTheOthers() {
        assumeTrue(Parallel.threads() >= 2, "one thread");
        int n = 1 << 20;
        Map<String, AtomicInteger> piecesByThread = new ConcurrentHashMap<>();
        AtomicInteger pieces = new AtomicInteger();
        Parallel.forRange(n, (from, to) -> {
            pieces.incrementAndGet();
            piecesByThread.computeIfAbsent(Thread.currentThread().getName(), t -> new AtomicInteger()).incrementAndGet();
            if (from == 0) { // the first piece's thread is held back
                sleep(300);
            }
        });
        assertThat(pieces.get()).isGreaterThan(Parallel.threads());
        String first = piecesByThread.keySet().stream().filter(t -> piecesByThread.get(t).get() == 1).findAny()
                .orElse(null);
        assertThat(first).as("the held-back thread took one piece, the others the rest: %s", piecesByThread)
                .isNotNull();
    }

    @Test
    void aFailureIsRethrownAfterEveryOtherRangeHasFinished() {
        assumeTrue(Parallel.threads() >= 2, "one thread");
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger failedEnd = new AtomicInteger();
        int n = 1 << 20;
        assertThatThrownBy(() -> Parallel.forRange(n, (from, to) -> {
            if (from == 0) {
                failedEnd.set(to);
                throw new IllegalStateException("first range");
            }
            sleep(20);
            finished.addAndGet(to - from);
        })).isInstanceOf(IllegalStateException.class).hasMessage("first range");
        assertThat(finished.get()).as("every range but the failed one ran to its end").isEqualTo(n - failedEnd.get());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
