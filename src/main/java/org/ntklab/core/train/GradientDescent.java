package org.ntklab.core.train;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Elementwise;
import org.ntklab.core.autodiff.ForwardPass;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.nn.Network;

/**
 * Full-batch gradient descent, w_{t+1} = w_t - lr grad L(w_t) (SCIENCE.md, "Training").
 *
 * <p>Step t denotes the state after t updates. The loop evaluates L(w_t) for t = 0, 1, ... and
 * stops at the first t with t = maxSteps or L(w_t) &lt;= lossTarget; that t is the last step.
 * The {@link RecordHook} sees step 0, every {@code recordEvery}-th step and the last step, before
 * the update. Between steps the loop reports progress and honours cancellation.
 *
 * <p>A step that is not recorded needs only L and its gradient. For the squared error of a
 * one-hidden-layer network with few inputs and a linear output, those come from
 * {@link FusedLoss} (the same bits as a forward pass, {@link Loss#value} and
 * {@link Loss#gradient}, without writing A_1 and sigma' out); a recorded step, and the step that
 * reaches the loss target, are computed through a {@link ForwardPass}, which the hook reads.
 */
public final class GradientDescent {

    /**
     * @param learningRate lr &gt; 0
     * @param maxSteps     the most updates, &gt;= 0
     * @param lossTarget   stop once L &lt;= lossTarget (use a negative value to never stop early)
     * @param recordEvery  stride of recorded steps, &gt;= 1
     */
    public record Options(double learningRate, int maxSteps, double lossTarget, Loss loss, int recordEvery) {
        public Options {
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
            }
            if (maxSteps < 0) {
                throw new IllegalArgumentException("maxSteps must be >= 0, got " + maxSteps);
            }
            if (recordEvery < 1) {
                throw new IllegalArgumentException("recordEvery must be >= 1, got " + recordEvery);
            }
            Objects.requireNonNull(loss, "loss");
        }
    }

    /**
     * What a recorded step offers its observer; arrays are live and must not be modified, nor kept
     * after the hook returns (the next step writes its forward pass into the same arrays).
     */
    public record State(int step, boolean last, Network network, ForwardPass pass, double loss, INDArray gradient,
            double gradientNorm) {
    }

    @FunctionalInterface
    public interface RecordHook {
        void record(State state);
    }

    /**
     * @param losses     L(w_t) for t = 0..steps
     * @param steps      the number of updates made
     * @param reachedTarget whether training stopped on the loss target
     */
    public record Run(double[] losses, int steps, boolean reachedTarget) {
    }

    private GradientDescent() {
    }

    /**
     * Trains {@code network} in place (its parameters end at w_T).
     *
     * @param data examples; not modified
     * @throws DivergedException  when the loss becomes NaN or infinite
     * @throws CancelledException when cancellation is requested
     */
    public static Run train(Network network, Dataset data, Options options, RecordHook hook,
            ProgressListener progress, Cancellation cancellation) {
        INDArray w = network.parameters();
        INDArray gradient = Nd4j.create(network.dataType(), network.parameterCount());
        double[] losses = new double[options.maxSteps() + 1];
        FusedLoss fused = options.recordEvery() > 1 ? FusedLoss.of(network, data, options.loss()) : null; // else unused
        ForwardPass pass = null;
        try {
            for (int t = 0; ; t++) {
                boolean fusedStep = fused != null && t % options.recordEvery() != 0 && t != options.maxSteps();
                double loss = fusedStep ? fused.valueAndGradient(gradient) : Double.NaN;
                // a forward pass where the hook reads the step, which includes a fused step that
                // reaches the loss target: it is the last step (NaN compares false and fails below)
                boolean viaPass = !fusedStep || loss <= options.lossTarget();
                if (viaPass) {
                    pass = ForwardPass.run(network, data.x(), false, pass); // reuses the previous step's arrays
                    loss = options.loss().value(pass, data.y());
                }
                if (!Double.isFinite(loss)) {
                    throw new DivergedException(t, loss, Arrays.copyOf(losses, t));
                }
                losses[t] = loss;
                boolean reached = loss <= options.lossTarget();
                boolean last = t == options.maxSteps() || reached;
                if (viaPass) {
                    options.loss().gradient(pass, data.y(), gradient);
                    if (t % options.recordEvery() == 0 || last) {
                        double norm = gradient.norm2Number().doubleValue();
                        if (!Double.isFinite(norm)) {
                            throw new DivergedException(t, "the gradient of the loss", Arrays.copyOf(losses, t));
                        }
                        hook.record(new State(t, last, network, pass, loss, gradient, norm));
                    }
                }
                if (last) {
                    return new Run(Arrays.copyOf(losses, t + 1), t, reached);
                }
                cancellation.check();
                Elementwise.axpy(-options.learningRate(), gradient, w); // no BLAS threads left spinning
                progress.onStep(t + 1, options.maxSteps(), loss);
            }
        } finally {
            if (pass != null) {
                pass.close(); // the last step's (n, m_l) arrays, freed now rather than at the next collection
            }
        }
    }
}
