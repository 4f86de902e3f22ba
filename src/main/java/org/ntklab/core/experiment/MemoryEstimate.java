package org.ntklab.core.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.layers.Conv2d;
import org.ntklab.core.layers.ConvArchitecture;
import org.ntklab.core.layers.Layer;
import org.ntklab.core.layers.LayeredKernel;
import org.ntklab.core.layers.Pointwise;
import org.ntklab.core.layers.Residual;
import org.ntklab.core.layers.Serial;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.FirstLayerStep;
import org.ntklab.core.spectral.Lanczos;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.spectral.Reorthogonalization;

/**
 * The bytes {@link ExperimentRunner} allocates for one experiment, by kind, following what the
 * engine actually creates. With W = the dtype's width (8 or 4), p trainable and F frozen weights,
 * M = m_1 + ... + m_L, c outputs, d inputs, n examples and N = n c:
 * <pre>
 *   weights     = (4 p + F) W           w, w_0, the gradient, w_t - w_0 at a record; frozen layers once
 *   activations = (6 n M + 8 n c) W     two forward passes alive (the training step's, and w_0's at
 *                                       init or the linearisation's at a record), each A_l and
 *                                       sigma'(Z_l) per hidden layer, G, phi(G), phi'(G); the
 *                                       training pass's reverse-pass scratch (n M); the JVP's
 *                                       tangents, dA_l written over dZ_l (n M + 2 n c); and where
 *                                       the fused training step applies, its buffers
 *                                       ({@link FirstLayerStep#bytes}, about (2 d + 2 c + 32) m 8)
 *   kernels     = N^2 max(4 W, 2 W + 24 + (W = 4 ? 8 : 0)) + n^2 W + N (M + c) W
 *                                       while training K_0, the previous K_t, the new K_t and a term
 *                                       buffer (or K_t - K_0); at the end K_0, K_T and the dense
 *                                       eigen-decomposition of K_T, which copies it to double off
 *                                       the heap (cast first for float32) and twice on the Java heap
 *                                       (its data and EJML's work matrix); the Gram A_{l-1} A_{l-1}^T;
 *                                       the signals D_l (N x m_l) and D_{L+1} (N x c)
 *   krylovBasis = 0 without probes, else  Lanczos.basisBytes(p, maxIter) + 2 p W  (FULL: the basis,
 *                                       a work vector, the Ritz vector y and A y)
 *                                   or    3 p W  (LOCAL: three vectors; see Lanczos' choice)
 *                 plus the start vector: 16 p (a double[] and its double array), + p W for float32
 *   other       = (n d + 2 n c) W + 10 (M + c) W   x, y, f(w_0); one Hessian-vector product's
 *                                       second-order pass of one input, signals and tangents
 * </pre>
 * The total is the sum, an upper bound of the live peak: the parts do not all peak at once (the
 * Hessian probes run one at a time, and not during the end spectrum). Initialisation's transient
 * double copies of each layer (at most 16 + W bytes per weight, before any kernel exists) and the
 * loss history (8 bytes per step, Java heap) are left out. All parts but the eigen-decomposition's
 * two heap arrays and the start vector's double[] are ND4J buffers outside the Java heap.
 *
 * @param weights     bytes of the weight vectors
 * @param activations bytes of forward passes and their derivatives
 * @param kernels     bytes of the tangent kernels and their spectrum
 * @param krylovBasis bytes of Lanczos for the Hessian norm
 * @param other       bytes of the data and of one Hessian-vector product
 * @param infiniteWidthKernel bytes of Theta_inf and the distance to it, 0 unless measured
 *                    ({@link #withInfiniteWidthKernel})
 */
public record MemoryEstimate(long weights, long activations, long kernels, long krylovBasis, long other,
        long infiniteWidthKernel) {

    /** Without the infinite-width kernel. */
    public MemoryEstimate(long weights, long activations, long kernels, long krylovBasis, long other) {
        this(weights, activations, kernels, krylovBasis, other, 0);
    }

    /** Bytes per double on the Java heap. */
    private static final long DOUBLE_BYTES = 8;

    /** The estimate for an experiment spec. */
    public static MemoryEstimate of(ExperimentSpec spec) {
        int n = Math.toIntExact(spec.data().x().rows());
        MemoryEstimate estimate = spec.model().memory(n, spec.dtype(), spec.measurements());
        return spec.measurements().infiniteWidthKernel() && ExperimentRunner.infiniteWidthReason(spec) == null
                ? estimate.withInfiniteWidthKernel(spec.architecture().depth(), n, spec.model().outputDim(), spec.dtype())
                : estimate;
    }

    /**
     * This estimate with the infinite-width kernel of a depth-L network on n examples with c
     * outputs ({@link org.ntklab.core.kernel.InfiniteWidthKernel}):
     * <pre>
     *   infiniteWidthKernel = (2 L + 5) n^2 8 + n^2 W + (n c)^2 W
     * </pre>
     * C_0..C_L, Cdot_1..Cdot_L, the running product and Theta on the Java heap, X X^T and Theta as
     * double ND4J arrays, Theta in the experiment's dtype for the export, and the difference
     * K - Theta (x) I_c of the distance.
     */
    public MemoryEstimate withInfiniteWidthKernel(int depth, int n, int c, DataType dtype) {
        long nn = times(n, n);
        long bytes = plus(plus(times(times(2L * depth + 5, nn), DOUBLE_BYTES), byteSize(nn, dtype)),
                byteSize(times(times(n, c), times(n, c)), dtype));
        return new MemoryEstimate(weights, activations, kernels, krylovBasis, other, bytes);
    }

    /**
     * The estimate for a network trained on n examples with {@code probeCount} Hessian probes.
     *
     * @param dtype DOUBLE or FLOAT
     */
    public static MemoryEstimate of(Architecture architecture, int n, DataType dtype, LanczosOptions lanczos,
            int probeCount) {
        requireArguments(n, dtype, probeCount);
        long w = dtype.width();
        long p = architecture.parameterCount();
        long frozen = 0;
        long hidden = 0;
        for (int l = 1; l <= architecture.layerCount(); l++) {
            if (!architecture.isTrainable(l)) {
                frozen += (long) architecture.width(l) * architecture.width(l - 1);
            }
            if (l <= architecture.depth()) {
                hidden += architecture.width(l);
            }
        }
        long c = architecture.outputDim();
        long d = architecture.inputDim();
        long nc = times(n, c);

        long weights = times(plus(times(4, p), frozen), w);
        long activations = times(plus(times(times(6, n), hidden), times(times(8, n), c)), w);
        if (FirstLayerStep.applies(architecture, dtype, n)) {
            activations = plus(activations, FirstLayerStep.bytes(architecture, n));
        }
        long kernelBytesPerEntry = Math.max(4 * w, 2 * w + 3 * DOUBLE_BYTES + (w < DOUBLE_BYTES ? DOUBLE_BYTES : 0));
        long kernels = plus(plus(times(times(nc, nc), kernelBytesPerEntry), byteSize(times(n, n), dtype)),
                byteSize(times(nc, plus(hidden, c)), dtype));
        long krylov = probeCount > 0 ? krylovBytes(p, dtype, lanczos) : 0;
        long other = plus(times(plus(times(n, d), times(2 * n, c)), w), times(times(10, plus(hidden, c)), w));
        return new MemoryEstimate(weights, activations, kernels, krylov, other);
    }

    /**
     * The estimate for a convolutional or residual network ({@link ConvArchitecture}) on n
     * examples, following what the layered engine creates. With A = the per-example floats a
     * forward pass keeps (each layer's output, a convolution's im2col patches, an activation's
     * sigma' and sigma''), p parameters, c outputs, N = n c:
     * <pre>
     *   weights     = 4 p W                 w, w_0, the gradient, w_t - w_0
     *   activations = (2 n A + 2 n A) W     two forward passes alive (training and w_0 / the
     *                                       linearisation), and one backward or tangent pass
     *   kernels     = N^2 max(4 W, 2 W + 24 + (W = 4 ? 8 : 0)) + n^2 W   as for a dense network
     *                 + (2 T + p) W + 3 A W  two Jacobian tiles of T = min(N p, tile budget / W)
     *                                       entries, a row, and one example's pass per row
     *   krylovBasis = as for a dense network (Lanczos on p parameters)
     *   other       = (n d + 2 n c) W + 4 A W   the data, f(w_0); one Hessian-vector product's
     *                                       forward, tangent and second-order passes of one input
     * </pre>
     */
    public static MemoryEstimate ofLayered(ConvArchitecture architecture, int n, DataType dtype, LanczosOptions lanczos,
            int probeCount) {
        requireArguments(n, dtype, probeCount);
        long w = dtype.width();
        Serial stack = architecture.build();
        long p = stack.parameterCount();
        long perExample = passFloats(stack);
        long c = architecture.outputDim();
        long d = architecture.inputSize();
        long nc = times(n, c);
        long weights = times(times(4, p), w);
        long activations = times(times(times(4, n), perExample), w);
        long kernelBytesPerEntry = Math.max(4 * w, 2 * w + 3 * DOUBLE_BYTES + (w < DOUBLE_BYTES ? DOUBLE_BYTES : 0));
        long tile = Math.min(times(nc, p), LayeredKernel.DEFAULT_TILE_BYTES / w + times(c, p));
        long kernels = plus(plus(times(times(nc, nc), kernelBytesPerEntry), byteSize(times(n, n), dtype)),
                times(plus(plus(times(2, tile), p), times(3, perExample)), w));
        long krylov = probeCount > 0 ? krylovBytes(p, dtype, lanczos) : 0;
        long other = plus(times(plus(times(n, d), times(2 * n, c)), w), times(times(4, perExample), w));
        return new MemoryEstimate(weights, activations, kernels, krylov, other);
    }

    /**
     * This estimate with the Hessian's structure and the loss Hessian of {@code m} added. They run
     * one after another, after each probe's ||H||, so the Krylov part is the largest of:
     * <pre>
     *   ||H|| alone          as above
     *   blocks               the same Lanczos bytes (a block has at most p coordinates) + 2 p W
     *                        (the block operator's embedded direction and its image)
     *   trace                3 p W + 16 p   (v, A v, the cast; the double[] and its array)
     *   density              basisBytes(p, q) + 2 p W + 16 p   (the basis, the work vector, the start)
     *   loss Hessian         the Lanczos bytes + 3 p W   (J^T D J v, H_U v, a VJP's gradient)
     * </pre>
     * and the loss Hessian adds to {@code other} its second-order pass over all n inputs,
     * n {@code hessianPassBytes}, and (F, Y, U, D, J v): 5 n c W.
     *
     * @param p                 trainable parameters
     * @param hessianPassBytes  one input's Hessian-vector-product passes (the per-input term of {@code other})
     */
    public MemoryEstimate withHessianStructure(MeasurementSpec m, long p, int n, int c, DataType dtype,
            long hessianPassBytes) {
        long w = dtype.width();
        long krylov = krylovBasis;
        boolean probes = !m.probes().isEmpty();
        long lanczos = krylovBytes(p, dtype, m.lanczos());
        if (probes && m.hessianBlocks()) {
            krylov = Math.max(krylov, plus(lanczos, times(2 * w, p)));
        }
        if (probes && m.traceSamples() > 0) {
            krylov = Math.max(krylov, times(3 * w + 2 * DOUBLE_BYTES, p));
        }
        if (probes && m.density() != null) {
            krylov = Math.max(krylov, plus(Lanczos.basisBytes(p, m.density().steps(), dtype),
                    times(2 * w + 2 * DOUBLE_BYTES, p)));
        }
        long extra = 0;
        if (m.lossHessian()) {
            krylov = Math.max(krylov, plus(lanczos, times(3 * w, p)));
            extra = plus(times(n, hessianPassBytes), times(times(5, times(n, c)), w));
        }
        return new MemoryEstimate(weights, activations, kernels, krylov, plus(other, extra));
    }

    /** One input's Hessian-vector-product passes in a dense network: 10 (M + c) W (see {@link #of}). */
    public static long hessianPassBytes(Architecture architecture, DataType dtype) {
        long hidden = 0;
        for (int l = 1; l <= architecture.depth(); l++) {
            hidden += architecture.width(l);
        }
        return times(times(10, plus(hidden, architecture.outputDim())), dtype.width());
    }

    /** One input's Hessian-vector-product passes in a layered network: 4 A W (see {@link #ofLayered}). */
    public static long hessianPassBytes(ConvArchitecture architecture, DataType dtype) {
        return times(times(4, passFloats(architecture.build())), dtype.width());
    }

    /** The floats one example's forward pass keeps, summed over the stack. */
    private static long passFloats(Serial serial) {
        long total = 0;
        for (Layer layer : serial.layers()) {
            long out = 1;
            for (long s : layer.outputShape()) {
                out *= s;
            }
            total = plus(total, out);
            if (layer instanceof Conv2d conv) {
                total = plus(total, times(out / conv.kernelShape()[0], conv.weightShape()[1]));
            } else if (layer instanceof Pointwise) {
                total = plus(total, times(2, out));
            } else if (layer instanceof Residual r) {
                total = plus(total, passFloats(r.branch()));
            }
        }
        return total;
    }

    private static void requireArguments(int n, DataType dtype, int probeCount) {
        if (dtype != DataType.DOUBLE && dtype != DataType.FLOAT) {
            throw new IllegalArgumentException("dtype must be DOUBLE or FLOAT, got " + dtype);
        }
        if (n < 1 || probeCount < 0) {
            throw new IllegalArgumentException("n must be >= 1 and probeCount >= 0, got " + n + ", " + probeCount);
        }
    }

    /**
     * Lanczos on p parameters: the basis with a work vector, the Ritz vector y and A y (FULL), or
     * three vectors (LOCAL); plus the start vector (a double[] and its array, + p W for float32).
     */
    private static long krylovBytes(long p, DataType dtype, LanczosOptions lanczos) {
        long w = dtype.width();
        long basis = Lanczos.reorthogonalization(p, dtype, lanczos) != Reorthogonalization.LOCAL
                ? plus(Lanczos.basisBytes(p, lanczos.maxIterations(), dtype), times(2 * w, p))
                : times(3 * w, p);
        long start = times(2 * DOUBLE_BYTES + (w < DOUBLE_BYTES ? w : 0), p);
        return plus(basis, start);
    }

    /** {@code elements * dtype.width()}, saturating at {@link Long#MAX_VALUE}. */
    public static long byteSize(long elements, DataType dtype) {
        return times(elements, dtype.width());
    }

    /** The sum of the parts, saturating at {@link Long#MAX_VALUE}. */
    public long total() {
        return plus(plus(plus(plus(plus(weights, activations), kernels), krylovBasis), other), infiniteWidthKernel);
    }

    /** The parts by name, in declaration order, for reports (infiniteWidthKernel only when measured). */
    public Map<String, Long> breakdown() {
        Map<String, Long> parts = new LinkedHashMap<>();
        parts.put("weights", weights);
        parts.put("activations", activations);
        parts.put("kernels", kernels);
        parts.put("krylovBasis", krylovBasis);
        parts.put("other", other);
        if (infiniteWidthKernel > 0) {
            parts.put("infiniteWidthKernel", infiniteWidthKernel);
        }
        return parts;
    }

    private static long times(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    private static long plus(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
