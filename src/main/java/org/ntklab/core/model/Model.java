package org.ntklab.core.model;

import java.io.IOException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.npy.NpzWriter;
import org.ntklab.core.spectral.LinearOperator;
import org.ntklab.core.train.Cancellation;
import org.ntklab.core.train.GradientDescent;
import org.ntklab.core.train.ProgressListener;

/**
 * What {@link org.ntklab.core.experiment.ExperimentRunner} needs of a model f(w; x) with a flat
 * parameter vector w (SCIENCE.md): the forward pass, the full tangent kernel, the exact Hessian
 * of one output as an operator, a JVP, full-batch gradient descent and the weights for
 * {@code initial.npz}. {@link MlpModel} adapts the fully connected engine, {@link LayeredModel}
 * convolutional and residual stacks.
 */
public interface Model {

    /** The forward pass on a batch, as the model's own engine keeps it. */
    interface Evaluation extends AutoCloseable {
        /** f(w; X), shape (n, c); live, not to be modified. */
        INDArray output();

        /** Frees the pass's arrays now rather than at the next collection; the evaluation is then unusable. */
        @Override
        default void close() {
        }
    }

    /** A recorded gradient-descent step (see {@link GradientDescent.State}); arrays are live. */
    record State(int step, boolean last, Model model, Evaluation evaluation, double loss, INDArray gradient,
            double gradientNorm) {
    }

    @FunctionalInterface
    interface RecordHook {
        void record(State state);
    }

    DataType dataType();

    /** p. */
    long parameterCount();

    /** w, live storage. */
    INDArray parameters();

    /** c. */
    int outputDim();

    /** A deep copy of w (anything fixed is shared). */
    Model copy();

    /** The forward pass on data rows x (n, d). */
    Evaluation evaluate(INDArray x);

    /** K(w) = J J^T, full (n c, n c), at the evaluation's inputs; a new array. */
    INDArray tangentKernel(Evaluation evaluation);

    /** H_k(w; x) as an operator, x one data row (1, d). */
    LinearOperator hessian(INDArray x, int output);

    /**
     * The Hessian of &lt;U, f(w; X)&gt; = sum_{i,k} U_ik f_k(w; x_i) as an operator (p x p), x of shape
     * (n, d), the cotangent U of shape (n, c); neither is modified. With n = 1 and U = e_k this is
     * {@link #hessian(INDArray, int)}.
     */
    LinearOperator hessian(INDArray x, INDArray cotangent);

    /** J(w; X) v, shape (n, c). */
    INDArray jvp(INDArray x, INDArray v);

    /** J(w; X)^T U, a new vector of length p, for a cotangent U of shape (n, c) (not modified). */
    INDArray vjp(INDArray x, INDArray cotangent);

    /**
     * The trainable layers' blocks of w, in order: they tile [0, p) without gaps. Numbered as
     * {@link #writeWeights} numbers the weights.
     */
    java.util.List<ParameterBlock> trainableLayers();

    /**
     * Full-batch gradient descent on this model in place (w ends at w_T), with the semantics of
     * {@link GradientDescent#train}.
     */
    GradientDescent.Run train(Dataset data, GradientDescent.Options options, RecordHook hook, ProgressListener progress,
            Cancellation cancellation);

    /** Adds the weights at this w to {@code initial.npz} (W1, W2, ... as the model documents). */
    void writeWeights(NpzWriter npz) throws IOException;
}
