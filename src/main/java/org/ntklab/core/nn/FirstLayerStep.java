package org.ntklab.core.nn;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.array.Elementwise;
import org.ntklab.core.array.Flat;
import org.ntklab.core.array.Parallel;

/**
 * One gradient step of a one-hidden-layer network with few inputs ({@link FirstLayer#fusesBackward})
 * and a linear output, for the cotangent D = (G - Y) scale of its pre-outputs (the squared error's
 * dL/dG): the pre-outputs G and the gradient J^T D of {@link FirstLayer#forward} followed by
 * {@link FirstLayer#backward}, with the same bits, in one pass in which A_1 and sigma'(Z_1) are
 * never written out: at n = 100 and m = 10^4 those two (n, m) arrays are 16 MB that the forward
 * pass writes and the reverse pass reads again.
 *
 * <p>The rows are taken in groups of {@link #GROUP}. For a group, each part of the hidden units
 * (one per thread) forms Z_1, sigma and sigma' in cache and its share of G (the per-block sums of
 * {@link FirstLayer#forward}); once every part has formed the group's share, the group's rows of
 * G and D are known and each part adds the group's terms to its dW_1 and dW_2, whose sums over
 * the rows continue from one group to the next ({@link Elementwise#combine4Add}), so that every
 * sum is the same chain of fused multiply-adds as in the two passes, whatever the thread count.
 * A part may form the next group before the others have formed the current one. Any thread runs
 * the next stage of any part nobody is working on (its own part first), so one thread can do all
 * of it, and a thread the scheduler holds back delays the others by one stage at most.
 *
 * <p>sigma and sigma' are written straight into the kept groups' buffers, the backward signal is
 * formed in place over sigma', and the products read the kept rows where they lie: no element is
 * copied. Measured (BENCHMARKS.md, session 8): at n = 100, d = 10, m = 10^4 on 2 threads the step
 * takes 2.0-2.2 ms against 3.1-3.2 for the two passes; what remains is Z_1's and dW_1's thin
 * products and tanh's arithmetic, not memory traffic.
 *
 * <p>Not thread-safe: one step at a time per instance (its buffers are reused from step to step).
 */
public final class FirstLayerStep {

    /**
     * Rows per group, a multiple of four (Z_1 four rows at a time, each load of the weights shared
     * by the four, as {@link FirstLayer#forward} forms it). Eight rather than four: a group's terms
     * of dW_1 are added to sums kept in memory, and a thin product of 8 terms costs 0.065 ns per
     * multiply-add against 0.09 for 4 (the loads and stores of the sums are shared by more terms).
     */
    static final int GROUP = 8;
    /** Groups whose A_1 and sigma' a part keeps: the next is formed while the others finish this one. */
    private static final int SLOTS = 2;
    /**
     * Doubles added to every row of the part's buffers: rows of one block width (512 doubles, 4 KiB)
     * would start at addresses that differ only above bit 12, so the four rows that a four-output
     * product reads or writes at once would alias in the store buffer and share one L1 set.
     */
    static final int PAD = 8;
    /** Idle turns of a thread before it yields its core. */
    private static final int SPINS = 64;

    private final Network network;
    private final int n;
    private final int d;
    private final int m;
    private final int c;
    private final int width;
    /** Row length of the parts' per-block buffers: the block width and a pad. */
    private final int stride;
    private final int blocks;
    private final int groups;
    private final boolean trainOutput;
    private final Activation sigma;
    /** [block][i][k]: sum over the block of A_1[i, j] W_2[k, j], as {@link FirstLayer#forward}'s. */
    private final double[] partial;
    private final Part[] parts;

    /** Whether {@link FirstLayerStep} computes a step of {@code network} on {@code rows} inputs. */
    public static boolean applies(Network network, long rows) {
        return applies(network.architecture(), network.dataType(), rows);
    }

    /**
     * Whether {@link FirstLayerStep} computes a step of a network of this architecture and dtype on
     * {@code rows} inputs: {@link FirstLayer#fusesBackward}, a linear output, and buffers
     * ({@link #bytes}) of at most {@link #maxBytes()}.
     */
    public static boolean applies(Architecture architecture, DataType dtype, long rows) {
        return FirstLayer.fusesBackward(architecture, dtype, rows) && architecture.outputMap().isLinear()
                && rows <= Integer.MAX_VALUE / FirstLayer.MAX_BLOCK && bytes(architecture, rows) <= maxBytes();
    }

    /**
     * The most bytes of buffers a step may keep: 256 MiB, at most an eighth of the Java heap (most
     * of them are heap arrays). Wider networks take the two passes, whose (n, m) arrays are ND4J's.
     */
    public static long maxBytes() {
        return Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    /**
     * An upper bound of the bytes a step keeps for a one-hidden-layer network on {@code rows}
     * inputs (d inputs, m hidden units, c outputs), on any number of threads: per hidden unit (a
     * block's padded column) W_1^T and dW_1^T (d each), W_2's rows and, when trained, dW_2 (c
     * each), and A_1 and sigma' of the kept groups (2 {@link #SLOTS} {@link #GROUP}); the per-block
     * partial sums of G (n c per block); a step's copies of x and y; per thread, its scratch (a few
     * rows of one block).
     */
    public static long bytes(Architecture architecture, long rows) {
        long width = FirstLayer.blockWidth(rows);
        long blocks = (architecture.width(1) + width - 1) / width;
        long columns = blocks * (width + PAD);
        long outputs = architecture.isTrainable(2) ? 2L * architecture.outputDim() : architecture.outputDim();
        long perColumn = 2L * architecture.inputDim() + outputs + 2L * SLOTS * GROUP;
        long scratch = GROUP * (FirstLayer.MAX_BLOCK + PAD) + FirstLayer.MAX_BLOCK + 2L * GROUP * FirstLayer.MAX_OUTPUTS
                + architecture.inputDim() * (width + PAD);
        return Double.BYTES * (columns * perColumn + blocks * rows * architecture.outputDim()
                + rows * (architecture.inputDim() + architecture.outputDim())
                + Math.min(blocks, Runtime.getRuntime().availableProcessors()) * (scratch + PAD * 2L * SLOTS * GROUP));
    }

    /**
     * @param network the network whose steps this computes (its weights are read at each step)
     * @param rows    the number of inputs n
     */
    public FirstLayerStep(Network network, int rows) {
        if (!applies(network, rows)) {
            throw new IllegalArgumentException("a fused step needs one hidden layer of float64 with at most "
                    + FirstLayer.MAX_INPUTS + " inputs and " + FirstLayer.MAX_OUTPUTS
                    + " linear outputs, a trained first layer, at least " + FirstLayer.MIN_ROWS
                    + " rows and buffers of at most " + maxBytes() + " bytes");
        }
        Architecture architecture = network.architecture();
        this.network = network;
        this.n = rows;
        this.d = architecture.inputDim();
        this.m = architecture.width(1);
        this.c = architecture.outputDim();
        this.width = FirstLayer.blockWidth(rows);
        this.stride = width + PAD;
        this.blocks = (m + width - 1) / width;
        this.groups = (rows + GROUP - 1) / GROUP;
        this.trainOutput = architecture.isTrainable(2);
        this.sigma = architecture.activation();
        this.partial = new double[blocks * rows * c];
        int count = Math.max(1, Math.min(Parallel.threads(), blocks));
        this.parts = new Part[count];
        for (int p = 0; p < count; p++) {
            parts[p] = new Part(p * blocks / count, (p + 1) * blocks / count);
        }
    }

    /**
     * Writes G = s_2 A_1 W_2^T into {@code g} and the gradient J^T D of D = (G - Y) scale into
     * {@code gradient}'s W_1 and (when trained) W_2 slices, at the network's current weights.
     *
     * @param x        inputs, shape (n, d); not modified
     * @param y        targets, shape (n, c); not modified
     * @param scale    the factor of D (1/n for the squared error)
     * @param g        receives G, shape (n, c), C-contiguous
     * @param gradient length p
     */
    public void run(INDArray x, INDArray y, double scale, INDArray g, INDArray gradient) {
        if (x.rows() != n || y.rows() != n || y.columns() != c) {
            throw new IllegalArgumentException("this step was made for " + n + " rows and " + c + " outputs, got x "
                    + java.util.Arrays.toString(x.shape()) + " and y " + java.util.Arrays.toString(y.shape()));
        }
        Run run = new Run(FirstLayer.scaled(x, network.scale(1)), FirstLayer.scaled(y, 1.0), scale,
                Flat.of(network.weight(1)), Flat.of(network.weight(2)), Flat.of(network.slice(gradient, 1)),
                trainOutput ? Flat.of(network.slice(gradient, 2)) : null);
        Parallel.together(parts.length, run::work);
        FirstLayer.writePreOutputs(partial, blocks, n * c, network.scale(2), g);
    }

    /** The bytes of this step's buffers and of one step's copies of x and y (for tests of {@link #bytes}). */
    long allocatedBytes() {
        long doubles = partial.length + (long) n * (d + c);
        for (Part part : parts) {
            doubles += part.weights.length + part.outputRows.length + part.dw1.length
                    + (part.dw2 == null ? 0 : part.dw2.length) + part.zs.length + part.z.length + part.delta.length
                    + part.deltaScaled.length + part.transposed.length + part.values.length + part.slopes.length;
        }
        return doubles * Double.BYTES;
    }

    /** How many parts the hidden units are split in (one per thread that may run). */
    int parts() {
        return parts.length;
    }

    /** One step's inputs and the parts' progress in it. */
    private final class Run {
        final double[] xs;
        final double[] ys;
        final double scale;
        final Flat w1;
        final Flat w2;
        final Flat g1;
        final Flat g2;
        /** Hands each thread a home part, the one it tries first. */
        final AtomicInteger homes = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicBoolean failed = new AtomicBoolean();

        Run(double[] xs, double[] ys, double scale, Flat w1, Flat w2, Flat g1, Flat g2) {
            this.xs = xs;
            this.ys = ys;
            this.scale = scale;
            this.w1 = w1;
            this.w2 = w2;
            this.g1 = g1;
            this.g2 = g2;
            for (Part part : parts) {
                part.prepared = false;
                part.formed = 0;
                part.applied = 0;
            }
        }

        /**
         * One thread's run: the next stage of its home part, else of any part nobody is working
         * on, until every part is finished. A thread that finds nothing to do spins briefly, then
         * yields its core (to a thread of this step that the scheduler has held back, perhaps).
         */
        void work() {
            int home = homes.getAndIncrement() % parts.length;
            int idle = 0;
            try {
                while (finished.get() < parts.length) {
                    boolean moved = false;
                    for (int k = 0; k < parts.length && !moved; k++) {
                        Part part = parts[(home + k) % parts.length];
                        if (part.busy.compareAndSet(false, true)) {
                            try {
                                moved = advance(part);
                            } finally {
                                part.busy.set(false); // publishes the stage to the next thread that takes the part
                            }
                        }
                    }
                    if (moved) {
                        idle = 0;
                    } else if (failed.get()) {
                        return;
                    } else if (++idle < SPINS) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield();
                    }
                }
            } catch (RuntimeException | Error e) {
                failed.set(true);
                throw e;
            }
        }

        /**
         * One stage of the part, if one can run: its buffers at this step's weights first; then
         * forming its next group while a slot is free, else applying its oldest formed group once
         * every part has formed it; then writing its gradient.
         */
        private boolean advance(Part part) {
            if (!part.prepared) {
                part.prepare(this);
                part.prepared = true;
                return true;
            }
            int formed = part.formed;
            int next = part.applied;
            if (next < formed && allFormed(next)) {
                part.apply(this, next);
                part.applied = next + 1;
                if (next + 1 == groups) {
                    part.finish(this);
                    finished.incrementAndGet();
                }
                return true;
            }
            if (formed < groups && formed < next + SLOTS) {
                part.form(this, formed);
                part.formed = formed + 1; // publishes the group's partial sums
                return true;
            }
            return false;
        }

        private boolean allFormed(int group) {
            for (Part part : parts) {
                if (part.formed <= group) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The hidden units of blocks [from, to) and their buffers, used by one thread at a time. */
    private final class Part {
        final int from;
        final int to;
        /** Row length of the kept groups' buffers: whole blocks, and a pad (see {@link #PAD}). */
        final int columns;
        /** W_1^T per block, (d, stride) each. */
        final double[] weights;
        /** W_2's rows per block, (c, stride) each. */
        final double[] outputRows;
        /** dW_1^T per block, (d, stride) each, summed over the groups applied so far. */
        final double[] dw1;
        /** dW_2 per block, (c, stride) each, likewise. */
        final double[] dw2;
        /** A_1 of the groups kept, [slot][row][column]; read by the products in place. */
        final double[] values;
        /**
         * sigma' of the groups kept, likewise; once the group's D is known, the backward signal
         * s_2 (D W_2)_i o sigma'_i in place.
         */
        final double[] slopes;
        final ActivationLoops loops = Activation.loops();
        final double[] zs = new double[GROUP * (FirstLayer.MAX_BLOCK + PAD)];
        final double[] z = new double[FirstLayer.MAX_BLOCK];
        final double[] delta = new double[GROUP * FirstLayer.MAX_OUTPUTS];
        final double[] deltaScaled = new double[GROUP * FirstLayer.MAX_OUTPUTS];
        final double[] transposed;
        /** Held by the thread running one of the part's stages. */
        final AtomicBoolean busy = new AtomicBoolean();
        boolean prepared;
        /** Groups formed (read by the threads applying other parts). */
        volatile int formed;
        /** Groups applied. */
        int applied;

        Part(int from, int to) {
            this.from = from;
            this.to = to;
            this.columns = (to - from) * width + PAD;
            this.weights = new double[(to - from) * d * stride];
            this.outputRows = new double[(to - from) * c * stride];
            this.dw1 = new double[(to - from) * d * stride];
            this.dw2 = trainOutput ? new double[(to - from) * c * stride] : null;
            this.values = new double[SLOTS * GROUP * columns];
            this.slopes = new double[SLOTS * GROUP * columns];
            this.transposed = new double[d * stride];
        }

        /** W_1^T and W_2's rows of the part's blocks, at this step's weights. */
        void prepare(Run run) {
            for (int b = from; b < to; b++) {
                int j0 = b * width;
                int len = Math.min(width, m - j0);
                run.w1.read(j0 * d, transposed, len * d);
                int wAt = (b - from) * d * stride;
                for (int j = 0; j < len; j++) {
                    for (int k = 0; k < d; k++) {
                        weights[wAt + k * stride + j] = transposed[j * d + k];
                    }
                }
                for (int k = 0; k < c; k++) {
                    run.w2.read(k * m + j0, outputRows, ((b - from) * c + k) * stride, len);
                }
            }
        }

        /** Z_1, sigma, sigma' of the group's rows over the part's blocks, and their partial sums of G. */
        void form(Run run, int group) {
            int i0 = group * GROUP;
            int rows = Math.min(GROUP, n - i0);
            int slot = group % SLOTS;
            for (int b = from; b < to; b++) {
                int j0 = b * width;
                int len = Math.min(width, m - j0);
                int wAt = (b - from) * d * stride;
                int r4 = 0; // four rows at a time, the last n mod 4 one at a time, as FirstLayer.forward does
                for (; r4 + 4 <= rows; r4 += 4) {
                    Elementwise.combine4(zs, r4 * stride, stride, run.xs, (i0 + r4) * d, d, 1, d, weights, wAt, stride,
                            len);
                }
                for (; r4 < rows; r4++) {
                    Elementwise.combine(zs, r4 * stride, run.xs, (i0 + r4) * d, 1, d, weights, wAt, stride, len);
                }
                for (int r = 0; r < rows; r++) {
                    int at = (slot * GROUP + r) * columns + (b - from) * width;
                    loops.evaluate(sigma, zs, r * stride, values, slopes, at, len);
                    int i = i0 + r;
                    for (int k = 0; k < c; k++) {
                        partial[(b * n + i) * c + k] = Elementwise.dot8(values, at, outputRows,
                                ((b - from) * c + k) * stride, len);
                    }
                }
            }
        }

        /** The group's rows of G and D, then their terms of dW_1 and dW_2 over the part's blocks. */
        void apply(Run run, int group) {
            int i0 = group * GROUP;
            int rows = Math.min(GROUP, n - i0);
            int slot = group % SLOTS;
            double s2 = network.scale(2);
            for (int r = 0; r < rows; r++) { // G and D exactly as the two passes compute them
                for (int k = 0; k < c; k++) {
                    int ik = (i0 + r) * c + k;
                    double sum = 0.0;
                    for (int b = 0; b < blocks; b++) {
                        sum += partial[b * n * c + ik];
                    }
                    double dk = (sum * s2 - run.ys[ik]) * run.scale;
                    delta[r * c + k] = dk;
                    deltaScaled[r * c + k] = dk * s2;
                }
            }
            boolean add = group > 0;
            for (int b = from; b < to; b++) {
                int j0 = b * width;
                int len = Math.min(width, m - j0);
                int wAt = (b - from) * c * stride;
                int rowsAt = slot * GROUP * columns + (b - from) * width; // the group's first row in this block
                for (int r = 0; r < rows; r++) { // delta_1 row by row, over sigma': s_2 (D W_2)_i o sigma'_i
                    int at = rowsAt + r * columns;
                    if (c == 1) {
                        Elementwise.multiplyScaled(slopes, at, s2 * delta[r], outputRows, wAt, len);
                    } else {
                        Elementwise.combine(z, 0, delta, r * c, 1, c, outputRows, wAt, stride, len);
                        Elementwise.multiplyScaled(slopes, at, s2, z, 0, len);
                    }
                }
                int dAt = (b - from) * d * stride;
                int k = 0; // dW_1^T (d, block) += sum_i (s_1 x_ik) delta_1[i, :] over the group, four k at a time
                for (; k + 4 <= d; k += 4) {
                    if (add) {
                        Elementwise.combine4Add(dw1, dAt + k * stride, stride, run.xs, i0 * d + k, 1, d, rows, slopes,
                                rowsAt, columns, len);
                    } else {
                        Elementwise.combine4(dw1, dAt + k * stride, stride, run.xs, i0 * d + k, 1, d, rows, slopes,
                                rowsAt, columns, len);
                    }
                }
                for (; k < d; k++) {
                    if (add) {
                        Elementwise.combineAdd(dw1, dAt + k * stride, run.xs, i0 * d + k, d, rows, slopes, rowsAt, columns,
                                len);
                    } else {
                        Elementwise.combine(dw1, dAt + k * stride, run.xs, i0 * d + k, d, rows, slopes, rowsAt, columns,
                                len);
                    }
                }
                if (trainOutput) {
                    for (int q = 0; q < c; q++) { // dW_2[q, block] += sum_i (s_2 D_iq) A_1[i, block] over the group
                        int at = wAt + q * stride;
                        if (add) {
                            Elementwise.combineAdd(dw2, at, deltaScaled, q, c, rows, values, rowsAt, columns, len);
                        } else {
                            Elementwise.combine(dw2, at, deltaScaled, q, c, rows, values, rowsAt, columns, len);
                        }
                    }
                }
            }
        }

        /** dW_1 (row-major (m, d)) and dW_2 of the part's blocks into the gradient. */
        void finish(Run run) {
            for (int b = from; b < to; b++) {
                int j0 = b * width;
                int len = Math.min(width, m - j0);
                int dAt = (b - from) * d * stride;
                for (int j = 0; j < len; j++) {
                    for (int col = 0; col < d; col++) {
                        transposed[j * d + col] = dw1[dAt + col * stride + j];
                    }
                }
                run.g1.write(j0 * d, transposed, len * d);
                if (trainOutput) {
                    for (int q = 0; q < c; q++) {
                        System.arraycopy(dw2, ((b - from) * c + q) * stride, z, 0, len);
                        run.g2.write(q * m + j0, z, len);
                    }
                }
            }
        }
    }
}
