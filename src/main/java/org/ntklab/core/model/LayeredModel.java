package org.ntklab.core.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.npy.NpyArray;
import org.ntklab.core.data.npy.NpzWriter;
import org.ntklab.core.layers.Conv2d;
import org.ntklab.core.layers.Layer;
import org.ntklab.core.layers.LayeredHessian;
import org.ntklab.core.layers.LayeredKernel;
import org.ntklab.core.layers.LayeredNetwork;
import org.ntklab.core.layers.Residual;
import org.ntklab.core.layers.Serial;
import org.ntklab.core.spectral.LinearOperator;
import org.ntklab.core.train.Cancellation;
import org.ntklab.core.train.DivergedException;
import org.ntklab.core.train.GradientDescent;
import org.ntklab.core.train.Loss;
import org.ntklab.core.train.ProgressListener;

/**
 * A convolutional or residual stack ({@link LayeredNetwork}) as a {@link Model}: the kernel by
 * tiled Jacobian contraction ({@link LayeredKernel}), the Hessian by the layers' R-operator rules
 * ({@link LayeredHessian}), gradient descent on the squared error with
 * {@link GradientDescent#train}'s semantics (step t is the state after t updates; the hook sees
 * step 0, every recordEvery-th step and the last one before the update).
 */
public final class LayeredModel implements Model {

    private final LayeredNetwork network;

    public LayeredModel(LayeredNetwork network) {
        this.network = network;
    }

    public LayeredNetwork network() {
        return network;
    }

    private record Pass(INDArray x, Layer.Trace trace) implements Evaluation {
        @Override
        public INDArray output() {
            return trace.output();
        }
    }

    @Override
    public DataType dataType() {
        return network.dataType();
    }

    @Override
    public long parameterCount() {
        return network.parameterCount();
    }

    @Override
    public INDArray parameters() {
        return network.parameters();
    }

    @Override
    public int outputDim() {
        return network.outputDim();
    }

    @Override
    public Model copy() {
        return new LayeredModel(network.copy());
    }

    @Override
    public Evaluation evaluate(INDArray x) {
        return new Pass(x, network.forward(x));
    }

    @Override
    public INDArray tangentKernel(Evaluation evaluation) {
        return LayeredKernel.full(network, ((Pass) evaluation).x());
    }

    @Override
    public LinearOperator hessian(INDArray x, int output) {
        return LayeredHessian.ofOutput(network, x, output);
    }

    @Override
    public LinearOperator hessian(INDArray x, INDArray cotangent) {
        return new LayeredHessian(network, x, cotangent);
    }

    @Override
    public INDArray jvp(INDArray x, INDArray v) {
        return network.jvp(network.forward(x), v);
    }

    @Override
    public INDArray vjp(INDArray x, INDArray cotangent) {
        INDArray gradient = Nd4j.create(network.dataType(), network.parameterCount());
        network.vjp(network.forward(x), cotangent.castTo(network.dataType()), gradient);
        return gradient;
    }

    /** Every layer with weights, numbered and ordered as {@link #writeWeights} (depth first through residual branches). */
    @Override
    public List<ParameterBlock> trainableLayers() {
        List<ParameterBlock> blocks = new ArrayList<>();
        ranges(network.stack(), 0, blocks);
        return List.copyOf(blocks);
    }

    private static void ranges(Serial serial, long base, List<ParameterBlock> out) {
        for (int l = 0; l < serial.layers().size(); l++) {
            Layer layer = serial.layers().get(l);
            if (layer.parameterCount() == 0) {
                continue;
            }
            long offset = base + serial.offset(l);
            if (layer instanceof Residual r) {
                ranges(r.branch(), offset, out);
            } else if (layer instanceof Serial s) {
                ranges(s, offset, out);
            } else {
                out.add(new ParameterBlock(out.size() + 1, offset, layer.parameterCount()));
            }
        }
    }

    @Override
    public GradientDescent.Run train(Dataset data, GradientDescent.Options options, RecordHook hook,
            ProgressListener progress, Cancellation cancellation) {
        if (options.loss() != Loss.SQUARED_ERROR) {
            throw new IllegalArgumentException("layered models train on the squared error only");
        }
        INDArray w = network.parameters();
        INDArray gradient = Nd4j.create(network.dataType(), network.parameterCount());
        double[] losses = new double[options.maxSteps() + 1];
        int n = data.n();
        for (int t = 0; ; t++) {
            Layer.Trace trace = network.forward(data.x());
            INDArray residual = trace.output().sub(data.y());
            double loss = residual.mul(residual).sumNumber().doubleValue() / (2.0 * n);
            if (!Double.isFinite(loss)) {
                throw new DivergedException(t, loss, Arrays.copyOf(losses, t));
            }
            losses[t] = loss;
            boolean reached = loss <= options.lossTarget();
            boolean last = t == options.maxSteps() || reached;
            network.vjp(trace, residual.divi(n), gradient);
            if (t % options.recordEvery() == 0 || last) {
                double norm = gradient.norm2Number().doubleValue();
                if (!Double.isFinite(norm)) {
                    throw new DivergedException(t, "the gradient of the loss", Arrays.copyOf(losses, t));
                }
                hook.record(new State(t, last, this, new Pass(data.x(), trace), loss, gradient, norm));
            }
            if (last) {
                return new GradientDescent.Run(Arrays.copyOf(losses, t + 1), t, reached);
            }
            cancellation.check();
            w.subi(gradient.muli(options.learningRate()));
            progress.onStep(t + 1, options.maxSteps(), loss);
        }
    }

    /**
     * W1, W2, ...: every layer with weights in order (depth first through residual branches), a
     * convolution's as (C_out, C_in, k, k) ((C_out, C_in, k) in 1-D), a dense layer's as
     * (m_out, m_in): the same order as their blocks of w.
     */
    @Override
    public void writeWeights(NpzWriter npz) throws IOException {
        List<INDArray> weights = new ArrayList<>();
        collect(network.stack(), network.parameters(), weights);
        for (int i = 0; i < weights.size(); i++) {
            npz.add("W" + (i + 1), NpyArray.of(weights.get(i)));
        }
    }

    private static void collect(Serial serial, INDArray theta, List<INDArray> out) {
        for (int l = 0; l < serial.layers().size(); l++) {
            Layer layer = serial.layers().get(l);
            if (layer.parameterCount() == 0) {
                continue;
            }
            INDArray slice = serial.slice(theta, l);
            if (layer instanceof Residual r) {
                collect(r.branch(), slice, out);
            } else if (layer instanceof Serial s) {
                collect(s, slice, out);
            } else if (layer instanceof Conv2d conv) {
                out.add(slice.dup().reshape('c', conv.kernelShape()));
            } else if (layer instanceof org.ntklab.core.layers.Dense dense) {
                out.add(slice.dup().reshape('c', dense.weightShape()));
            } else {
                out.add(slice.dup());
            }
        }
    }
}
