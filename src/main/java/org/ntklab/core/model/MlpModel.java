package org.ntklab.core.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.autodiff.Derivatives;
import org.ntklab.core.autodiff.ForwardPass;
import org.ntklab.core.autodiff.HessianVectorProduct;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.npy.NpyArray;
import org.ntklab.core.data.npy.NpzWriter;
import org.ntklab.core.kernel.TangentKernel;
import org.ntklab.core.nn.Network;
import org.ntklab.core.spectral.LinearOperator;
import org.ntklab.core.train.Cancellation;
import org.ntklab.core.train.GradientDescent;
import org.ntklab.core.train.ProgressListener;

/**
 * The fully connected engine as a {@link Model}: every operation delegates to it unchanged
 * ({@link ForwardPass}, {@link TangentKernel#full}, {@link HessianVectorProduct#ofOutput},
 * {@link Derivatives#jvp}, {@link GradientDescent#train}), so results are those of the engine.
 */
public final class MlpModel implements Model {

    private final Network network;

    public MlpModel(Network network) {
        this.network = network;
    }

    /** The adapted network. */
    public Network network() {
        return network;
    }

    private record Pass(ForwardPass pass) implements Evaluation {
        @Override
        public INDArray output() {
            return pass.output();
        }

        @Override
        public void close() {
            pass.close();
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
        return network.architecture().outputDim();
    }

    @Override
    public Model copy() {
        return new MlpModel(network.copy());
    }

    @Override
    public Evaluation evaluate(INDArray x) {
        return new Pass(ForwardPass.run(network, x));
    }

    @Override
    public INDArray tangentKernel(Evaluation evaluation) {
        return TangentKernel.full(((Pass) evaluation).pass());
    }

    @Override
    public LinearOperator hessian(INDArray x, int output) {
        return HessianVectorProduct.ofOutput(network, x, output);
    }

    @Override
    public LinearOperator hessian(INDArray x, INDArray cotangent) {
        return new HessianVectorProduct(network, x, cotangent);
    }

    @Override
    public INDArray jvp(INDArray x, INDArray v) {
        try (ForwardPass pass = ForwardPass.run(network, x)) {
            return Derivatives.jvp(pass, v);
        }
    }

    @Override
    public INDArray vjp(INDArray x, INDArray cotangent) {
        INDArray gradient = Nd4j.create(network.dataType(), network.parameterCount());
        try (ForwardPass pass = ForwardPass.run(network, x)) {
            Derivatives.vjp(pass, cotangent.castTo(network.dataType()), gradient);
        }
        return gradient;
    }

    /** The trainable W_l, l in 1..L+1 (frozen layers skipped), each of m_l m_{l-1} coordinates. */
    @Override
    public List<ParameterBlock> trainableLayers() {
        List<ParameterBlock> blocks = new ArrayList<>();
        for (int l = 1; l <= network.layerCount(); l++) {
            if (network.architecture().isTrainable(l)) {
                blocks.add(new ParameterBlock(l, network.offset(l), network.weight(l).length()));
            }
        }
        return List.copyOf(blocks);
    }

    @Override
    public GradientDescent.Run train(Dataset data, GradientDescent.Options options, RecordHook hook,
            ProgressListener progress, Cancellation cancellation) {
        return GradientDescent.train(network, data, options, s -> hook.record(new State(s.step(), s.last(), this,
                new Pass(s.pass()), s.loss(), s.gradient(), s.gradientNorm())), progress, cancellation);
    }

    /** W1..W{L+1}, every layer including frozen ones, W_l of shape (m_l, m_{l-1}). */
    @Override
    public void writeWeights(NpzWriter npz) throws IOException {
        for (int l = 1; l <= network.layerCount(); l++) {
            npz.add("W" + l, NpyArray.of(network.weight(l)));
        }
    }
}
