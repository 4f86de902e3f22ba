package org.ntklab.core.spectral;

/**
 * The two extreme Ritz pairs of a Lanczos tridiagonal and their residual bounds.
 *
 * <p>{@code T_k} is the {@code k x k} symmetric tridiagonal with diagonal
 * {@code alpha_0..alpha_{k-1}} and off-diagonal {@code beta_0..beta_{k-2}}; {@code betaK} is the
 * next coefficient {@code beta_{k-1} = ||w_k||}. For an eigenpair {@code T_k s = theta s},
 * {@code ||s|| = 1}, the Ritz vector {@code y = Q_k s} has
 * {@code ||A y - theta y|| = betaK * |s_{k-1}|} (exactly in exact arithmetic; with lost
 * orthogonality it is Paige's bound, still reliable for converged extreme pairs).
 */
record RitzExtremes(double thetaMin, double thetaMax, double boundMin, double boundMax,
        double[] sMin, double[] sMax) {

    /** From {@code alpha[0..k-1]} and {@code beta[0..k-1]} (the last one being {@code betaK}); arrays are not modified. */
    static RitzExtremes of(double[] alpha, double[] beta, int k) {
        double[][] t = new double[k][k];
        for (int i = 0; i < k; i++) {
            t[i][i] = alpha[i];
            if (i + 1 < k) {
                t[i][i + 1] = beta[i];
                t[i + 1][i] = beta[i];
            }
        }
        SymmetricEigen eig = SymmetricEigen.decompose(t);
        double betaK = beta[k - 1];
        return new RitzExtremes(
                eig.eigenvalue(0), eig.eigenvalue(k - 1),
                betaK * Math.abs(eig.eigenvectorComponent(0, k - 1)),
                betaK * Math.abs(eig.eigenvectorComponent(k - 1, k - 1)),
                eig.eigenvector(0), eig.eigenvector(k - 1));
    }

    /** {@code max(|thetaMax|, |thetaMin|)}. */
    double norm() {
        return Math.max(Math.abs(thetaMax), Math.abs(thetaMin));
    }

    /** {@code max(boundMin, boundMax)}. */
    double maxBound() {
        return Math.max(boundMin, boundMax);
    }
}
