package org.ntklab.core.nn;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ntklab.core.rng.SeededRandom;

/**
 * The weights of a fully connected network (SCIENCE.md, "Networks"):
 * <pre>
 *   a_0 = x,  z_l = s_l W_l a_{l-1},  a_l = sigma(z_l)   (l = 1..L)
 *   g = s_{L+1} W_{L+1} a_L,  f = phi(g)
 * </pre>
 * with s_l = 1/sqrt(m_{l-1}) (NTK) or 1 (STANDARD). Layers are numbered l = 1..L+1 as in the
 * paper; W_l has shape (m_l, m_{l-1}).
 *
 * <p>The parameter vector w (length p) is the concatenation of the trainable W_l, each flattened
 * row-major, in layer order. {@link #parameters()} is that vector, and each trainable
 * {@link #weight(int)} is a live view into it: changing one changes the other. Frozen layers
 * own their arrays and are shared, never modified, between copies of a network.
 */
public final class Network {

    private final Architecture architecture;
    private final DataType dtype;
    private final INDArray parameters;
    private final INDArray[] weights;
    private final long[] offsets;

    private Network(Architecture architecture, DataType dtype, INDArray parameters, INDArray[] frozen) {
        this.architecture = architecture;
        this.dtype = dtype;
        this.parameters = parameters;
        int layers = architecture.layerCount();
        this.weights = new INDArray[layers];
        this.offsets = new long[layers];
        long offset = 0;
        for (int l = 1; l <= layers; l++) {
            long rows = architecture.width(l);
            long cols = architecture.width(l - 1);
            if (architecture.isTrainable(l)) {
                offsets[l - 1] = offset;
                weights[l - 1] = parameters.get(NDArrayIndex.interval(offset, offset + rows * cols))
                        .reshape('c', rows, cols);
                offset += rows * cols;
            } else {
                offsets[l - 1] = -1;
                weights[l - 1] = frozen[l - 1];
            }
        }
    }

    /**
     * Draws a network at initialisation: W_l from the stream {@code SeededRandom.stream(seed, l)},
     * row-major, entries {@link Init}-distributed times {@link Parameterization#initScale}
     * (hidden layers GAUSSIAN, the output layer {@link Architecture#outputInit()}).
     * Deterministic in the seed and independent of thread count.
     *
     * @param dtype DOUBLE (the default everywhere) or FLOAT
     */
    public static Network initialize(Architecture architecture, long seed, DataType dtype) {
        Objects.requireNonNull(architecture, "architecture");
        requireSupported(dtype);
        int layers = architecture.layerCount();
        INDArray parameters = Nd4j.create(dtype, architecture.parameterCount());
        INDArray[] frozen = new INDArray[layers];
        long offset = 0;
        for (int l = 1; l <= layers; l++) {
            int rows = architecture.width(l);
            int cols = architecture.width(l - 1);
            double[] values = new double[Math.multiplyExact(rows, cols)];
            Init init = l == layers ? architecture.outputInit() : Init.GAUSSIAN;
            init.fill(SeededRandom.stream(seed, l), values, architecture.parameterization().initScale(cols));
            INDArray w = Nd4j.create(values, new long[] {values.length}, DataType.DOUBLE).castTo(dtype);
            if (architecture.isTrainable(l)) {
                parameters.get(NDArrayIndex.interval(offset, offset + values.length)).assign(w);
                offset += values.length;
            } else {
                frozen[l - 1] = w.reshape('c', rows, cols);
            }
        }
        return new Network(architecture, dtype, parameters, frozen);
    }

    /**
     * A network with the given weights, for callers that already hold them (tests, restored
     * experiments). Arrays are copied.
     *
     * @param weights W_1..W_{L+1}, shapes (m_l, m_{l-1})
     */
    public static Network of(Architecture architecture, DataType dtype, INDArray... weights) {
        requireSupported(dtype);
        int layers = architecture.layerCount();
        if (weights.length != layers) {
            throw new IllegalArgumentException("expected " + layers + " weight matrices, got " + weights.length);
        }
        INDArray parameters = Nd4j.create(dtype, architecture.parameterCount());
        INDArray[] frozen = new INDArray[layers];
        long offset = 0;
        for (int l = 1; l <= layers; l++) {
            long rows = architecture.width(l);
            long cols = architecture.width(l - 1);
            INDArray w = weights[l - 1];
            if (w.rank() != 2 || w.rows() != rows || w.columns() != cols) {
                throw new IllegalArgumentException("W_" + l + " must have shape (" + rows + ", " + cols + ")");
            }
            if (architecture.isTrainable(l)) {
                parameters.get(NDArrayIndex.interval(offset, offset + rows * cols))
                        .assign(w.castTo(dtype).dup('c').reshape(rows * cols));
                offset += rows * cols;
            } else {
                frozen[l - 1] = w.castTo(dtype).dup('c');
            }
        }
        return new Network(architecture, dtype, parameters, frozen);
    }

    /**
     * A network with the same architecture and frozen layers and the given parameter vector.
     *
     * @param parameters length p, same dtype; used as the new network's storage (not copied)
     */
    public Network withParameters(INDArray parameters) {
        if (parameters.length() != this.parameters.length() || parameters.dataType() != dtype) {
            throw new IllegalArgumentException("expected a " + dtype + " vector of length " + this.parameters.length());
        }
        INDArray[] frozen = new INDArray[weights.length];
        for (int l = 1; l <= weights.length; l++) {
            if (!architecture.isTrainable(l)) {
                frozen[l - 1] = weights[l - 1];
            }
        }
        INDArray storage = parameters.isView() || parameters.rank() != 1 ? parameters.dup().reshape(parameters.length()) : parameters;
        return new Network(architecture, dtype, storage, frozen);
    }

    /** A deep copy of the trainable parameters; frozen layers are shared. */
    public Network copy() {
        return withParameters(parameters.dup());
    }

    private static void requireSupported(DataType dtype) {
        if (dtype != DataType.DOUBLE && dtype != DataType.FLOAT) {
            throw new IllegalArgumentException("dtype must be DOUBLE or FLOAT, got " + dtype);
        }
    }

    public Architecture architecture() {
        return architecture;
    }

    public DataType dataType() {
        return dtype;
    }

    /** The trainable parameter vector w, length p: live storage of every trainable W_l. */
    public INDArray parameters() {
        return parameters;
    }

    public long parameterCount() {
        return parameters.length();
    }

    /** W_l for l = 1..L+1, shape (m_l, m_{l-1}); a live view for trainable layers. */
    public INDArray weight(int l) {
        return weights[l - 1];
    }

    /** The offset of W_l within w, or -1 for a frozen layer. */
    public long offset(int l) {
        return offsets[l - 1];
    }

    /** The view of a length-p vector (a gradient, a direction) that corresponds to W_l, shaped like W_l. */
    public INDArray slice(INDArray vector, int l) {
        long offset = offsets[l - 1];
        if (offset < 0) {
            throw new IllegalArgumentException("layer " + l + " is frozen");
        }
        long size = weights[l - 1].length();
        return vector.get(NDArrayIndex.interval(offset, offset + size))
                .reshape('c', weights[l - 1].rows(), weights[l - 1].columns());
    }

    /** s_l, the factor in z_l = s_l W_l a_{l-1}. */
    public double scale(int l) {
        return architecture.parameterization().forwardScale(architecture.width(l - 1));
    }

    /** L + 1. */
    public int layerCount() {
        return weights.length;
    }

    /** The lowest trainable layer: backward passes need not go below it. */
    public int lowestTrainableLayer() {
        for (int l = 1; l <= weights.length; l++) {
            if (architecture.isTrainable(l)) {
                return l;
            }
        }
        throw new IllegalStateException("no trainable layer");
    }
}
