package org.ntklab.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker threads that yield the CPU to the API: each lowers its own scheduling priority to the
 * Linux nice value {@code nice} when it starts, before it runs any experiment, so the OpenMP
 * threads it later creates for ND4J inherit the same value. Request threads (nice 0) then get
 * about nine times a nice-10 thread's share of a busy core, and the API stays responsive while
 * every worker computes; on an idle machine the workers still use every core. Java's own thread
 * priorities are ignored by the JVM on Linux, so the value is set with {@code renice} on the
 * thread's id (from {@code /proc/thread-self}); where that is not possible (not Linux, no
 * {@code renice}) the threads run at normal priority and one warning says so.
 */
public final class WorkerThreads implements ThreadFactory {

    private static final Logger log = LoggerFactory.getLogger(WorkerThreads.class);
    private static final AtomicBoolean warned = new AtomicBoolean();

    private final String prefix;
    private final int nice;
    private final AtomicInteger count = new AtomicInteger();

    /**
     * @param prefix thread names: prefix-1, prefix-2, ...
     * @param nice   the nice value, 1..19 (larger is gentler); 0 keeps the normal priority
     */
    public WorkerThreads(String prefix, int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("the workers' nice value must be in 0..19, got " + nice);
        }
        this.prefix = prefix;
        this.nice = nice;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(() -> {
            if (nice > 0) {
                lowerPriority(nice);
            }
            r.run();
        }, prefix + "-" + count.incrementAndGet());
        t.setDaemon(true);
        if (nice > 0) {
            t.setPriority(Thread.MIN_PRIORITY);
        }
        return t;
    }

    /**
     * Runs {@code task} on a new thread of this factory (at its nice value) and waits for it. For
     * loading native libraries that start threads of their own: OpenBLAS starts its server threads
     * in its library constructor, and a Linux thread inherits the nice value (and the name) of the
     * thread that creates it, so loaded here they run at the workers' value instead of normal priority.
     *
     * @throws IllegalStateException wrapping what {@code task} threw
     */
    public <T> T call(java.util.concurrent.Callable<T> task) {
        java.util.concurrent.atomic.AtomicReference<T> result = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = newThread(() -> {
            try {
                result.set(task.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + t.getName() + " ran", e);
        }
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        return result.get();
    }

    /** The calling thread's nice value, or null where it cannot be read. */
    public static Integer currentNice() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // Fields after the parenthesised command: state is field 3, nice field 19.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void lowerPriority(int nice) {
        try {
            String tid = Path.of("/proc/thread-self").toRealPath().getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
                    .redirectErrorStream(true).start();
            renice.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                renice.destroyForcibly();
                warnOnce("renice exited with " + (renice.isAlive() ? "a timeout" : renice.exitValue()));
            }
        } catch (IOException | RuntimeException e) {
            warnOnce(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void warnOnce(String why) {
        if (warned.compareAndSet(false, true)) {
            log.warn("could not lower the priority of worker threads ({}); they run at normal priority", why);
        }
    }
}
