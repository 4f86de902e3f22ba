package org.ntklab.core.experiment;

import org.ntklab.core.spectral.SpectrumEstimate;

/**
 * The extreme eigenvalues of the training loss's Hessian d^2 L / dw^2 (SCIENCE.md, "Hessian of
 * the training loss"), with Lanczos's evidence, and the Gauss-Newton part's top eigenvalue.
 *
 * @param lambdaMax            the largest Ritz value
 * @param lambdaMin            the smallest Ritz value
 * @param residual             max over the two extreme Ritz pairs of ||A y - theta y||
 * @param iterations           Lanczos steps
 * @param converged            whether both extremes met the tolerance
 * @param gaussNewtonLambdaMax lambda_max of the Gauss-Newton part (lambda_max(K) / n for the squared error)
 */
public record LossHessianEstimate(double lambdaMax, double lambdaMin, double residual, int iterations,
        boolean converged, double gaussNewtonLambdaMax) {

    static LossHessianEstimate of(SpectrumEstimate e, double gaussNewtonLambdaMax) {
        return new LossHessianEstimate(e.lambdaMax(), e.lambdaMin(), e.residual(), e.iterations(), e.converged(),
                gaussNewtonLambdaMax);
    }
}
