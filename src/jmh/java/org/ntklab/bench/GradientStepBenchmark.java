package org.ntklab.bench;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Elementwise;
import org.ntklab.core.autodiff.ForwardPass;
import org.ntklab.core.train.FusedLoss;
import org.ntklab.core.train.Loss;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One full-batch gradient-descent step as GradientDescent.train does it, then the update
 * w -= lr grad (Elementwise.axpy, no BLAS call). The step size is tiny so the weights stay at
 * initialisation for all practical purposes across invocations.
 * <ul>
 *   <li>{@code gdStep}: a step no hook reads, most of a training run: {@link FusedLoss} where it
 *       applies (one hidden layer, few inputs, linear output), else as {@code gdStepWithPass}.
 *   <li>{@code gdStepWithPass}: a recorded step: a forward pass kept for the hook (written into the
 *       previous invocation's arrays), the loss value, the loss gradient (reverse pass).
 * </ul>
 */
@State(Scope.Benchmark)
public class GradientStepBenchmark extends Settings {

    static final double LEARNING_RATE = 1e-9;

    private INDArray gradient;
    private ForwardPass pass;
    private FusedLoss fused;

    @Setup
    public void prepare(Trained t) {
        gradient = Nd4j.create(t.network.dataType(), t.network.parameterCount());
        fused = FusedLoss.of(t.network, t.data, Loss.SQUARED_ERROR);
    }

    @Benchmark
    public double gdStep(Trained t) {
        if (fused == null) {
            return gdStepWithPass(t);
        }
        double loss = fused.valueAndGradient(gradient);
        Elementwise.axpy(-LEARNING_RATE, gradient, t.network.parameters());
        return loss;
    }

    @Benchmark
    public double gdStepWithPass(Trained t) {
        pass = ForwardPass.run(t.network, t.data.x(), false, pass); // as GradientDescent: last step's arrays
        double loss = Loss.SQUARED_ERROR.value(pass, t.data.y());
        Loss.SQUARED_ERROR.gradient(pass, t.data.y(), gradient);
        Elementwise.axpy(-LEARNING_RATE, gradient, t.network.parameters());
        return loss;
    }
}
