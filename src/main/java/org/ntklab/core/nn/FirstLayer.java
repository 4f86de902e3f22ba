package org.ntklab.core.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.array.Elementwise;
import org.ntklab.core.array.Flat;
import org.ntklab.core.array.Parallel;

/**
 * The first layer of a network with few inputs (d &lt;= {@link #MAX_INPUTS}), fused with the work
 * around it, for float64 networks. Its matrix products have an inner dimension of only d (or
 * n x d), so a BLAS call spends its time writing and re-reading (n, m) arrays rather than
 * computing; here the hidden units are taken in blocks that stay in cache, the thin products are
 * computed in registers ({@link Elementwise#combine}), and each (n, m) array is read or written
 * once:
 * <ul>
 *   <li>{@link #forward}: Z_1 = s_1 X W_1^T is never stored; sigma, sigma' (and sigma'') are
 *       evaluated on each block as it is formed (the activation loops of {@link Activation}); for
 *       one hidden layer the pre-outputs G = s_2 A_1 W_2^T are summed from the same blocks.
 *   <li>{@link #backward}, for one hidden layer (L = 1) with c &lt;= {@link #MAX_OUTPUTS}: the
 *       reverse signal delta_1 = (s_2 delta W_2) o sigma'(Z_1) is formed block by block and
 *       consumed at once by dW_1 = s_1 delta_1^T X and, when W_2 is trained,
 *       dW_2 = s_2 delta^T A_1.
 * </ul>
 * Every sum runs in a fixed order (over k for Z, over the rows i for the gradients, one fused
 * multiply-add each, the same on the SIMD and scalar paths), so results do not depend on the
 * thread count; they differ from the BLAS products only by rounding. A training step of one
 * hidden layer thus makes no BLAS call: OpenBLAS's threads keep spinning for a while after each
 * call, and on a machine with as many threads as cores they took the cores from these loops
 * (figure 1 at m = 1e5: 13-14 ms per step in the service instead of 6-7).
 */
public final class FirstLayer {

    /** Largest input dimension d fused here; wider inputs make the products worth a BLAS call. */
    public static final int MAX_INPUTS = 64;
    /** Largest output count c of a fused backward pass (its cost grows with c). */
    public static final int MAX_OUTPUTS = 16;
    /**
     * Fewest inputs (rows of X) fused here: with fewer, each block's transposition and bookkeeping
     * outweigh the work (one probe's pass, n = 1, is left to BLAS).
     */
    public static final int MIN_ROWS = 8;
    /** Most hidden units per block. */
    static final int MAX_BLOCK = 512;
    /** Elements of an (n, block) buffer: two of them (512 KiB each) stay in L2. */
    private static final int BLOCK_ELEMENTS = 1 << 16;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private FirstLayer() {
    }

    /**
     * Whether {@link #forward} is used for {@code rows} inputs: float64, d &lt;= {@link #MAX_INPUTS}
     * and n &gt;= {@link #MIN_ROWS}.
     */
    public static boolean fusesForward(Network network, long rows) {
        return fusesForward(network.architecture(), network.dataType(), rows);
    }

    /** {@link #fusesForward(Network, long)} for a network of this architecture and dtype. */
    public static boolean fusesForward(Architecture architecture, DataType dtype, long rows) {
        return dtype == DataType.DOUBLE && architecture.inputDim() <= MAX_INPUTS && rows >= MIN_ROWS;
    }

    /**
     * Whether {@link #backward} is used for {@code rows} inputs: {@link #fusesForward}, one hidden
     * layer, a trained first layer and c &lt;= {@link #MAX_OUTPUTS}.
     */
    public static boolean fusesBackward(Network network, long rows) {
        return fusesBackward(network.architecture(), network.dataType(), rows);
    }

    /** {@link #fusesBackward(Network, long)} for a network of this architecture and dtype. */
    public static boolean fusesBackward(Architecture architecture, DataType dtype, long rows) {
        return fusesForward(architecture, dtype, rows) && architecture.depth() == 1 && architecture.isTrainable(1)
                && architecture.outputDim() <= MAX_OUTPUTS;
    }

    /**
     * a = sigma(Z_1), d1 = sigma'(Z_1) and, when {@code d2} is not null, d2 = sigma''(Z_1), with
     * Z_1 = s_1 X W_1^T; for a network with one hidden layer also, when {@code g} is not null, the
     * pre-outputs G = s_2 A_1 W_2^T, each a sum over the blocks in order of per-block sums in a
     * fixed order ({@link Elementwise#dot8}): no BLAS call, and the same bits on any thread count.
     *
     * @param x  inputs, shape (n, d); not modified
     * @param a  receives A_1, shape (n, m_1), C-contiguous
     * @param d1 receives sigma'(Z_1), same shape
     * @param d2 receives sigma''(Z_1), or null
     * @param g  receives G, shape (n, c) with c &lt;= {@link #MAX_OUTPUTS}, C-contiguous (one hidden
     *           layer only), or null
     */
    public static void forward(Network network, INDArray x, INDArray a, INDArray d1, INDArray d2, INDArray g) {
        int n = Math.toIntExact(x.rows());
        int d = network.architecture().inputDim();
        int m = network.architecture().width(1);
        int width = blockWidth(n);
        double[] xs = scaled(x, network.scale(1));
        Flat w = Flat.of(network.weight(1));
        Flat fa = Flat.of(a);
        Flat f1 = Flat.of(d1);
        Flat f2 = d2 == null ? null : Flat.of(d2);
        Activation sigma = network.architecture().activation();
        ActivationLoops loops = Activation.loops();
        boolean direct = loops.direct(sigma); // sigma's loops read and write native memory
        int c = g == null ? 0 : network.architecture().outputDim();
        if (g != null && (network.architecture().depth() != 1 || c > MAX_OUTPUTS)) {
            throw new IllegalArgumentException("G is fused only for one hidden layer and at most " + MAX_OUTPUTS
                    + " outputs");
        }
        Flat w2 = g == null ? null : Flat.of(network.weight(2));
        int blocks = blocks(m, width);
        double[] partial = new double[blocks * n * c]; // [block][i][k]
        Parallel.forBlocks(blocks, (long) n * width, (from, to) -> {
            Scratch s = SCRATCH.get().fit(0, d, c, width); // no (n, block) buffers
            for (int b = from; b < to; b++) {
                int j0 = b * width;
                int len = Math.min(width, m - j0);
                transposeRows(w, j0, len, d, width, s.rows, s.weights);
                for (int k = 0; k < c; k++) {
                    w2.read(k * m + j0, s.outputRows, k * width, len);
                }
                for (int i = 0; i < n; i++) {
                    int row = i % 4; // Z for four rows at a time, each load of the weights shared by the four
                    if (row == 0 && i + 4 <= n) {
                        Elementwise.combine4(s.z4, 0, width, xs, i * d, d, 1, d, s.weights, 0, width, len);
                    } else if (row == 0) { // the last n mod 4 rows
                        for (int r = 0; r < n - i; r++) {
                            Elementwise.combine(s.z4, r * width, xs, (i + r) * d, 1, d, s.weights, 0, width, len);
                        }
                    }
                    int at = i * m + j0;
                    if (direct) { // written as computed; A read back (from cache) for G
                        s.zDoubles.put(0, s.z4, row * width, len);
                        loops.evaluate(sigma, s.zNative, 0, fa.bytes(), f1.bytes(), f2 == null ? null : f2.bytes(), at,
                                len);
                        if (c > 0) {
                            fa.read(at, s.value, len);
                        }
                    } else {
                        System.arraycopy(s.z4, row * width, s.z, 0, len);
                        loops.evaluate(sigma, s.z, s.value, s.first, f2 == null ? null : s.second, len);
                    }
                    for (int k = 0; k < c; k++) {
                        partial[(b * n + i) * c + k] = Elementwise.dot8(s.value, 0, s.outputRows, k * width, len);
                    }
                    if (!direct) {
                        fa.write(at, s.value, len);
                        f1.write(at, s.first, len);
                        if (f2 != null) {
                            f2.write(at, s.second, len);
                        }
                    }
                }
            }
        });
        if (g != null) {
            writePreOutputs(partial, blocks, n * c, network.scale(2), g);
        }
    }

    /**
     * g := s_2 times the sum over the blocks, in block order, of the per-block partial sums
     * partial[block][i][k] ({@code entries} = n c each): G as {@link #forward} forms it.
     */
    static void writePreOutputs(double[] partial, int blocks, int entries, double s2, INDArray g) {
        double[] sums = new double[entries];
        for (int b = 0; b < blocks; b++) {
            for (int ik = 0; ik < entries; ik++) {
                sums[ik] += partial[b * entries + ik];
            }
        }
        for (int ik = 0; ik < entries; ik++) {
            sums[ik] *= s2;
        }
        Flat.of(g).write(0, sums, entries);
    }

    /**
     * The reverse pass of a one-hidden-layer network from the cotangent of its pre-outputs:
     * writes dW_1 and, when W_2 is trained, dW_2 into their slices of {@code gradient}.
     *
     * @param x        the inputs, shape (n, d)
     * @param a        A_1 of the forward pass, (n, m)
     * @param d1       sigma'(Z_1) of the forward pass, (n, m)
     * @param deltaOut the cotangent of G, (n, c); not modified
     * @param gradient length p; its W_1 and W_2 slices are overwritten
     */
    public static void backward(Network network, INDArray x, INDArray a, INDArray d1, INDArray deltaOut,
            INDArray gradient) {
        int n = Math.toIntExact(x.rows());
        int d = network.architecture().inputDim();
        int m = network.architecture().width(1);
        int c = network.architecture().outputDim();
        int width = blockWidth(n);
        double[] xs = scaled(x, network.scale(1));
        double s2 = network.scale(2);
        double[] delta = scaled(deltaOut, 1.0);
        boolean trainOutput = network.architecture().isTrainable(2);
        double[] deltaScaled = trainOutput ? scaled(deltaOut, s2) : null;
        Flat w2 = Flat.of(network.weight(2));
        Flat fa = trainOutput ? Flat.of(a) : null;
        Flat f1 = Flat.of(d1);
        Flat g1 = Flat.of(network.slice(gradient, 1));
        Flat g2 = trainOutput ? Flat.of(network.slice(gradient, 2)) : null;
        Parallel.forBlocks(blocks(m, width), (long) n * width, (from, to) -> {
            Scratch s = SCRATCH.get().fit(n, d, c, width);
            for (int b = from; b < to; b++) {
                int j0 = b * width;
                int len = Math.min(width, m - j0);
                for (int k = 0; k < c; k++) {
                    w2.read(k * m + j0, s.outputRows, k * width, len);
                }
                for (int i = 0; i < n; i++) { // delta_1 row by row: s_2 (delta W_2)_i o sigma'_i
                    double[] signal = f1.read(i * m + j0, s.first, len);
                    if (c == 1) { // (delta W_2)_i = delta_i W_2
                        Elementwise.multiplyScaled(signal, 0, s2 * delta[i], s.outputRows, 0, len);
                    } else {
                        Elementwise.combine(s.z, 0, delta, i * c, 1, c, s.outputRows, 0, width, len);
                        Elementwise.multiplyScaled(signal, 0, s2, s.z, 0, len);
                    }
                    System.arraycopy(signal, 0, s.signal, i * width, len);
                    if (trainOutput) {
                        fa.read(i * m + j0, s.activations, i * width, len);
                    }
                }
                int k = 0; // dW_1^T (d, block) = sum_i (s_1 x_ik) delta_1[i, :], four k at a time
                for (; k + 4 <= d; k += 4) {
                    Elementwise.combine4(s.weights, k * width, width, xs, k, 1, d, n, s.signal, 0, width, len);
                }
                for (; k < d; k++) {
                    Elementwise.combine(s.weights, k * width, xs, k, d, n, s.signal, 0, width, len);
                }
                for (int j = 0; j < len; j++) { // dW_1 rows j0 .. j0 + len, row-major (m, d)
                    for (int col = 0; col < d; col++) {
                        s.rows[j * d + col] = s.weights[col * width + j];
                    }
                }
                g1.write(j0 * d, s.rows, len * d);
                if (trainOutput) {
                    for (int q = 0; q < c; q++) { // dW_2[q, block] = sum_i (s_2 delta_iq) A_1[i, block]
                        Elementwise.combine(s.z, 0, deltaScaled, q, c, n, s.activations, 0, width, len);
                        g2.write(q * m + j0, s.z, len);
                    }
                }
            }
        });
    }

    /** Hidden units per block for n inputs: a multiple of 64 (eight vectors of eight), at most {@link #MAX_BLOCK}. */
    static int blockWidth(long n) {
        long fit = BLOCK_ELEMENTS / Math.max(1, n) / 64 * 64;
        return (int) Math.max(64, Math.min(MAX_BLOCK, fit));
    }

    private static int blocks(int m, int width) {
        return (m + width - 1) / width;
    }

    /** A contiguous copy of {@code array} on the heap, row-major, times {@code scale}. */
    static double[] scaled(INDArray array, double scale) {
        double[] values = Flat.of(Flat.isContiguous(array) ? array : array.dup('c')).toArray();
        if (scale != 1.0) {
            for (int i = 0; i < values.length; i++) {
                values[i] *= scale;
            }
        }
        return values;
    }

    /** weights (d, width) := the transpose of W_1's rows [j0, j0 + len) (columns past len: unchanged). */
    private static void transposeRows(Flat w, int j0, int len, int d, int width, double[] rows, double[] weights) {
        w.read(j0 * d, rows, len * d);
        for (int j = 0; j < len; j++) {
            for (int k = 0; k < d; k++) {
                weights[k * width + j] = rows[j * d + k];
            }
        }
    }

    /** Per-thread buffers, grown to the largest shapes seen. */
    private static final class Scratch {
        double[] rows = new double[0];
        double[] weights = new double[0];
        double[] outputRows = new double[0];
        double[] signal = new double[0];
        double[] activations = new double[0];
        final double[] z = new double[MAX_BLOCK];
        /** Z of four rows, (4, width). */
        final double[] z4 = new double[4 * MAX_BLOCK];
        final double[] value = new double[MAX_BLOCK];
        final double[] first = new double[MAX_BLOCK];
        final double[] second = new double[MAX_BLOCK];
        /** One row of Z in native memory, for the activations whose loops read it there. */
        final ByteBuffer zNative = ByteBuffer.allocateDirect(MAX_BLOCK * Double.BYTES).order(ByteOrder.nativeOrder());
        final DoubleBuffer zDoubles = zNative.asDoubleBuffer();

        Scratch fit(int n, int d, int c, int width) {
            rows = atLeast(rows, d * width);
            weights = atLeast(weights, d * width);
            outputRows = atLeast(outputRows, c * width);
            if (c > 0 && n * width > 0) {
                signal = atLeast(signal, n * width);
                activations = atLeast(activations, n * width);
            }
            return this;
        }

        private static double[] atLeast(double[] array, int length) {
            return array.length >= length ? array : new double[length];
        }
    }
}
