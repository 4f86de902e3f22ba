package org.ntklab.core.array;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

    /** The threads an element-wise loop may use: ND4J's configured maximum, at most the cores. */
    public static int threads() {
        return Math.max(1, Math.min(Nd4j.getEnvironment().maxThreads(), CORES));
    }

    /**
     * Runs {@code body} over [0, length) split into at most {@link #threads()} contiguous ranges.
     * An exception thrown by any range is rethrown here after every range has finished.
     */
    public static void forRange(long length, Range body) {
        int n = Math.toIntExact(length);
        int parts = Math.min(threads(), Math.max(1, n / MIN_PER_THREAD));
        run(n, parts, (n / parts + ALIGN - 1) / ALIGN * ALIGN, body);
    }

    /**
     * Runs {@code body} over the block indices [0, blocks) split into at most {@link #threads()}
     * contiguous ranges, as {@link #forRange} does for elements; {@code elementsPerBlock} is the
     * work of one block, for the same threshold.
     */
    public static void forBlocks(int blocks, long elementsPerBlock, Range body) {
        long work = Math.max(1, elementsPerBlock) * blocks;
        int parts = (int) Math.min(Math.min(threads(), blocks), Math.max(1, work / MIN_PER_THREAD));
        run(blocks, Math.max(1, parts), (blocks + parts - 1) / Math.max(1, parts), body);
    }

    private static void run(int n, int parts, int step, Range body) {
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] others = new CompletableFuture[parts - 1];
        for (int p = 1; p < parts; p++) {
            int from = Math.min(n, p * step);
            int to = p == parts - 1 ? n : Math.min(n, (p + 1) * step);
            others[p - 1] = CompletableFuture.runAsync(() -> body.run(from, to), POOL);
        }
        RuntimeException failure = null;
        try {
            body.run(0, Math.min(n, step));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (CompletableFuture<Void> other : others) {
            try {
                other.join();
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
