package org.ntklab.core.array;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Splits an element-wise loop over contiguous ranges and runs them on as many threads as ND4J
 * itself may use ({@code Nd4j.getEnvironment().maxThreads()}, which the service sets per worker
 * so that workers x threads never exceed the cores). The calling thread runs one range itself;
 * the others go to a shared pool of daemon threads, one per core, whose tasks never wait on
 * each other, so concurrent callers cannot deadlock. Loops shorter than {@link #MIN_PER_THREAD}
 * elements per thread run on the calling thread alone.
 *
 * <p>The ranges are disjoint: a task that writes only inside its range needs no synchronisation,
 * and the join gives the caller a happens-before edge on everything the tasks wrote.
 */
public final class Parallel {

    /** Elements per thread below which a second thread costs more (hand-off ~10 us) than it saves. */
    public static final int MIN_PER_THREAD = 1 << 15;
    /** Pieces per thread of a split loop, taken in turn by whichever thread is free. */
    private static final int PIECES_PER_THREAD = 4;
    /** Fewest elements in a piece of {@link #forRange} (a piece costs an atomic increment and a call). */
    private static final int MIN_PIECE = 1 << 13;
    /** Range boundaries fall on multiples of this many elements (a 64-byte line of doubles). */
    private static final int ALIGN = 8;

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(CORES, new DaemonThreads());

    /** A loop body over elements [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private Parallel() {
    }

    /** The calling thread's limit on the threads of the loops it starts ({@link #limitThreads}). */
    private static final ThreadLocal<int[]> LIMIT = ThreadLocal.withInitial(() -> new int[] {Integer.MAX_VALUE});

    /**
     * The threads a loop started by the calling thread may use: ND4J's maximum, at most the cores
     * and the calling thread's {@link #limitThreads}.
     */
    public static int threads() {
        return Math.max(1, Math.min(Math.min(Nd4j.getEnvironment().maxThreads(), CORES), LIMIT.get()[0]));
    }

    /**
     * Lets the loops the calling thread starts from now on use at most {@code threads} threads (at
     * least 1); returns the previous limit ({@link Integer#MAX_VALUE}: none). Per thread, so that a
     * worker of the service keeps to its share of the cores whatever other threads set; ND4J's own
     * {@code Environment.setMaxThreads} does not change what its {@code maxThreads()} reports.
     */
    public static int limitThreads(int threads) {
        int[] limit = LIMIT.get();
        int previous = limit[0];
        limit[0] = Math.max(1, threads);
        return previous;
    }

    /**
     * Runs {@code body} over [0, length) split into contiguous ranges (up to
     * {@link #PIECES_PER_THREAD} per thread, each a multiple of 8 elements but the last) on at most
     * {@link #threads()} threads. An exception thrown by any range is rethrown here after every
     * range has finished.
     */
    public static void forRange(long length, Range body) {
        int n = Math.toIntExact(length);
        int parts = Math.min(threads(), Math.max(1, n / MIN_PER_THREAD));
        int pieces = Math.max(parts, Math.min(parts * PIECES_PER_THREAD, n / MIN_PIECE));
        run(n, parts, (n / pieces + ALIGN - 1) / ALIGN * ALIGN, body);
    }

    /**
     * Runs {@code body} over the block indices [0, blocks) split into contiguous ranges on at most
     * {@link #threads()} threads, as {@link #forRange} does for elements; {@code elementsPerBlock}
     * is the work of one block, for the same threshold.
     */
    public static void forBlocks(int blocks, long elementsPerBlock, Range body) {
        long work = Math.max(1, elementsPerBlock) * blocks;
        int parts = Math.max(1, (int) Math.min(Math.min(threads(), blocks), Math.max(1, work / MIN_PER_THREAD)));
        int pieces = Math.min(blocks, parts * PIECES_PER_THREAD);
        run(blocks, parts, (blocks + pieces - 1) / pieces, body);
    }

    /**
     * body over [0, n) in pieces [k step, (k + 1) step) on parts threads (the caller's among them),
     * each thread taking the next piece as it finishes one: a thread that the scheduler holds back
     * (the service's other threads share the cores) leaves its pieces to the others instead of
     * making the whole loop wait for it.
     */
    private static void run(int n, int parts, int step, Range body) {
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        int pieces = (n + step - 1) / step;
        AtomicInteger next = new AtomicInteger();
        together(parts, () -> {
            for (int k = next.getAndIncrement(); k < pieces; k = next.getAndIncrement()) {
                body.run(k * step, Math.min(n, (k + 1) * step));
            }
        });
    }

    /**
     * Runs {@code worker} on {@code threads} threads, the caller's and {@code threads - 1} of the
     * pool's, and returns when every run has ended; an exception thrown by any is rethrown here
     * after the others have ended. The runs share the work among themselves (an atomic counter, a
     * claim on a part): one run must be able to do all of it, since the pool's threads may be busy
     * with other callers' work. A pool run that has not started when the caller's run ends normally
     * is not waited for: it will not run the worker at all. When the caller's run fails, the others
     * are waited for (they finish the work it left) before the failure is rethrown.
     */
    public static void together(int threads, Runnable worker) {
        if (threads <= 1) {
            worker.run();
            return;
        }
        AtomicBoolean[] started = new AtomicBoolean[threads - 1];
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] others = new CompletableFuture[threads - 1];
        for (int p = 0; p < threads - 1; p++) {
            AtomicBoolean start = started[p] = new AtomicBoolean();
            others[p] = CompletableFuture.runAsync(() -> {
                if (start.compareAndSet(false, true)) {
                    worker.run();
                }
            }, POOL);
        }
        RuntimeException failure = null;
        try {
            worker.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int p = 0; p < threads - 1; p++) {
            if (failure == null && started[p].compareAndSet(false, true)) {
                continue; // still queued behind other callers' work, and the caller's run left nothing to do
            }
            try {
                others[p].join();
            } catch (RuntimeException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static final class DaemonThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "ntklab-elementwise-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
