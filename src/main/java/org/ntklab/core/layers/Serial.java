package org.ntklab.core.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ntklab.core.rng.SeededRandom;

/**
 * Layers composed in sequence, a_l = F_l(theta_l, a_{l-1}), itself a {@link Layer} (a residual
 * branch is a Serial). The parameter vector is the concatenation of the layers' theta_l in layer
 * order; {@link #offset(int)} says where each begins. The rules chain: the forward and tangent
 * passes run upwards, the backward and second-order passes downwards, the latter recomputing
 * each delta_{l-1} = (dF_l/da)^T delta_l on the way.
 */
public final class Serial implements Layer {

    private final List<Layer> layers;
    private final long[] offsets;
    private final long parameterCount;

    public Serial(List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a serial stack needs at least one layer");
        }
        this.layers = List.copyOf(layers);
        this.offsets = new long[layers.size()];
        long offset = 0;
        for (int l = 0; l < layers.size(); l++) {
            if (l > 0 && !Arrays.equals(layers.get(l - 1).outputShape(), layers.get(l).inputShape())) {
                throw new IllegalArgumentException("layer " + l + " expects input " + Arrays.toString(
                        layers.get(l).inputShape()) + " but layer " + (l - 1) + " gives " + Arrays.toString(
                        layers.get(l - 1).outputShape()));
            }
            offsets[l] = offset;
            offset = Math.addExact(offset, layers.get(l).parameterCount());
        }
        this.parameterCount = offset;
    }

    /** The layers, bottom first. */
    public List<Layer> layers() {
        return layers;
    }

    /** Where layer l's parameters begin in theta. */
    public long offset(int l) {
        return offsets[l];
    }

    /** The view of layer l's part of a parameter-length vector (null for a parameter-free layer). */
    public INDArray slice(INDArray vector, int l) {
        long count = layers.get(l).parameterCount();
        return count == 0 || vector == null ? null
                : vector.get(NDArrayIndex.interval(offsets[l], offsets[l] + count));
    }

    @Override
    public long[] inputShape() {
        return layers.get(0).inputShape();
    }

    @Override
    public long[] outputShape() {
        return layers.get(layers.size() - 1).outputShape();
    }

    @Override
    public long parameterCount() {
        return parameterCount;
    }

    /** Initialises layer l from the stream {@code random.stream(seed, l)}: see {@link #initialize(long, INDArray)}. */
    @Override
    public void initialize(SeededRandom random, INDArray theta) {
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).parameterCount() > 0) {
                layers.get(l).initialize(random, slice(theta, l));
            }
        }
    }

    /**
     * Draws every layer's parameters, layer l (0-based, counting only layers with parameters, in
     * order, depth first through residual branches) from {@code SeededRandom.stream(seed, l + 1)}.
     */
    public void initialize(long seed, INDArray theta) {
        int[] next = {1};
        initialize(this, seed, theta, next);
    }

    private static void initialize(Serial serial, long seed, INDArray theta, int[] next) {
        for (int l = 0; l < serial.layers.size(); l++) {
            Layer layer = serial.layers.get(l);
            if (layer.parameterCount() == 0) {
                continue;
            }
            if (layer instanceof Residual r) {
                initialize(r.branch(), seed, serial.slice(theta, l), next);
            } else if (layer instanceof Serial s) {
                initialize(s, seed, serial.slice(theta, l), next);
            } else {
                layer.initialize(SeededRandom.stream(seed, next[0]++), serial.slice(theta, l));
            }
        }
    }

    @Override
    public Trace forward(INDArray theta, INDArray input) {
        Trace[] traces = new Trace[layers.size()];
        INDArray a = input;
        for (int l = 0; l < layers.size(); l++) {
            traces[l] = layers.get(l).forward(slice(theta, l), a);
            a = traces[l].output;
        }
        return new Trace(input, a, traces);
    }

    @Override
    public INDArray backward(INDArray theta, Trace trace, INDArray delta, INDArray gradient, boolean needInput) {
        Trace[] traces = (Trace[]) trace.state;
        int lowest = needInput ? 0 : lowestWithParameters();
        INDArray d = delta;
        for (int l = layers.size() - 1; l >= lowest; l--) {
            boolean below = l > lowest || needInput;
            d = layers.get(l).backward(slice(theta, l), traces[l], d, gradient == null ? null : slice(gradient, l),
                    below);
        }
        return needInput ? d : null;
    }

    @Override
    public Trace tangent(INDArray theta, INDArray v, Trace trace, INDArray dInput) {
        Trace[] traces = (Trace[]) trace.state;
        Trace[] tangents = new Trace[layers.size()];
        INDArray da = dInput;
        for (int l = 0; l < layers.size(); l++) {
            tangents[l] = layers.get(l).tangent(slice(theta, l), slice(v, l), traces[l], da);
            da = tangents[l].output;
        }
        return new Trace(dInput, da, tangents);
    }

    @Override
    public INDArray secondOrder(INDArray theta, INDArray v, Trace trace, Trace tangent, INDArray delta,
            INDArray rDelta, INDArray hv, boolean needInput) {
        Trace[] traces = (Trace[]) trace.state;
        Trace[] tangents = (Trace[]) tangent.state;
        int lowest = needInput ? 0 : lowestWithParameters();
        INDArray d = delta;
        INDArray rd = rDelta;
        for (int l = layers.size() - 1; l >= lowest; l--) {
            boolean below = l > lowest || needInput;
            Layer layer = layers.get(l);
            INDArray theta_l = slice(theta, l);
            INDArray nextR = layer.secondOrder(theta_l, slice(v, l), traces[l], tangents[l], d, rd, slice(hv, l),
                    below);
            if (below) {
                d = layer.backward(theta_l, traces[l], d, null, true);
            }
            rd = nextR;
        }
        return needInput ? rd : null;
    }

    private int lowestWithParameters() {
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).parameterCount() > 0) {
                return l;
            }
        }
        return layers.size() - 1;
    }

    /** Builds a stack layer by layer, each bound to the previous one's output shape. */
    public static Builder from(long... inputShape) {
        return new Builder(inputShape);
    }

    /** Adds layers on top of the current shape. */
    public static final class Builder {
        private final List<Layer> layers = new ArrayList<>();
        private long[] shape;

        Builder(long[] inputShape) {
            this.shape = inputShape.clone();
        }

        /** The per-example shape the next layer receives. */
        public long[] shape() {
            return shape.clone();
        }

        public Builder add(Layer layer) {
            if (!Arrays.equals(layer.inputShape(), shape)) {
                throw new IllegalArgumentException("layer expects " + Arrays.toString(layer.inputShape())
                        + " but receives " + Arrays.toString(shape));
            }
            layers.add(layer);
            shape = layer.outputShape();
            return this;
        }

        public Serial build() {
            return new Serial(layers);
        }
    }
}
