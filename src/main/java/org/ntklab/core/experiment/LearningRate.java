package org.ntklab.core.experiment;

/** The gradient-descent step size: a fixed number, or automatic from the kernel at initialisation. */
public sealed interface LearningRate {

    /**
     * The effective rate for n examples and lambda_max of the full kernel K(w_0).
     */
    double effective(int n, double lambdaMaxInit);

    /** lr = value. */
    record Fixed(double value) implements LearningRate {
        public Fixed {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("learning rate must be positive and finite, got " + value);
            }
        }

        @Override
        public double effective(int n, double lambdaMaxInit) {
            return value;
        }
    }

    /**
     * lr = eta n / lambda_max(K(w_0)) (SCIENCE.md): the linearised model's loss Hessian is
     * J^T J / n with top eigenvalue lambda_max(K) / n, so gradient descent on it is stable for
     * eta &lt; 2, and one eta means the same across widths and parameterizations.
     */
    record Auto(double eta) implements LearningRate {
        public Auto {
            if (!(eta > 0) || Double.isInfinite(eta)) {
                throw new IllegalArgumentException("auto learning rate factor must be positive and finite, got " + eta);
            }
        }

        @Override
        public double effective(int n, double lambdaMaxInit) {
            if (!(lambdaMaxInit > 0)) {
                throw new IllegalArgumentException("automatic learning rate needs lambda_max(K(w0)) > 0, got "
                        + lambdaMaxInit);
            }
            return eta * n / lambdaMaxInit;
        }
    }
}
