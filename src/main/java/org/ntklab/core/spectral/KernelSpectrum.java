package org.ntklab.core.spectral;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The extreme eigenvalues and the condition number of a symmetric positive semi-definite kernel
 * matrix {@code K} (for instance the tangent kernel {@code J J^T}, shape {@code (n*c, n*c)}).
 *
 * <p>{@code conditionNumber = lambdaMax / lambdaMin} when {@code lambdaMin > 0}, and
 * {@link Double#POSITIVE_INFINITY} when {@code lambdaMin <= 0} (a singular kernel). The computed
 * {@code lambdaMin} is reported as it is: a singular kernel's rounding may make it a tiny negative
 * number, which is evidence, not an error, and is not clamped.
 *
 * @param lambdaMin       the smallest eigenvalue of {@code K}
 * @param lambdaMax       the largest eigenvalue of {@code K}
 * @param conditionNumber {@code lambdaMax / lambdaMin}, or {@code +Infinity} if {@code lambdaMin <= 0}
 */
public record KernelSpectrum(double lambdaMin, double lambdaMax, double conditionNumber) {

    /**
     * The spectrum of {@code k} by a dense symmetric eigen-decomposition in double precision
     * ({@link SymmetricEigen}); {@code k} is not modified. Cost {@code O(n^3)} time and
     * {@code O(n^2)} doubles of memory.
     *
     * @param k a square, symmetric (up to rounding), non-empty matrix of DOUBLE or FLOAT
     */
    public static KernelSpectrum of(INDArray k) {
        double[] lambda = SymmetricEigen.eigenvalues(k);
        if (lambda.length == 0) {
            throw new IllegalArgumentException("kernel matrix is empty");
        }
        double min = lambda[0];
        double max = lambda[lambda.length - 1];
        return new KernelSpectrum(min, max, conditionNumber(min, max));
    }

    /** {@code lambdaMax / lambdaMin} if {@code lambdaMin > 0}, else {@code +Infinity}. */
    static double conditionNumber(double lambdaMin, double lambdaMax) {
        return lambdaMin > 0.0 ? lambdaMax / lambdaMin : Double.POSITIVE_INFINITY;
    }
}
