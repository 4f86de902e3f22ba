package org.ntklab.core.spectral;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.rng.SeededRandom;

/** Test matrices with a known spectrum, built in double by EJML (a method independent of Lanczos). */
final class PlantedSpectrum {

    private PlantedSpectrum() {
    }

    /** {@code A = V diag(lambda) V^T}, V the Q factor of a seeded Gaussian matrix; exactly symmetrised. DOUBLE. */
    static INDArray matrix(double[] lambda, long seed) {
        int p = lambda.length;
        DMatrixRMaj v = orthogonal(p, seed);
        DMatrixRMaj vd = v.copy();
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                vd.unsafe_set(i, j, v.unsafe_get(i, j) * lambda[j]);
            }
        }
        DMatrixRMaj a = new DMatrixRMaj(p, p);
        CommonOps_DDRM.multTransB(vd, v, a);
        return symmetric(a);
    }

    /** {@code (G + G^T) / 2} with G a seeded standard Gaussian {@code p x p} matrix. DOUBLE. */
    static INDArray randomSymmetric(int p, long seed) {
        return symmetric(gaussian(p, p, seed));
    }

    /** {@code G G^T} with G a seeded Gaussian {@code n x r} matrix: PSD of rank {@code min(n, r)}. DOUBLE. */
    static INDArray gram(int n, int r, long seed) {
        DMatrixRMaj g = gaussian(n, r, seed);
        DMatrixRMaj k = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransB(g, g, k);
        return symmetric(k);
    }

    /** {@code lambda_0 = top}, {@code lambda_1 = bottom}, the other {@code p - 2} uniform in [-bulk, bulk]. */
    static double[] spikedBulk(int p, double top, double bottom, double bulk, long seed) {
        SeededRandom random = SeededRandom.stream(seed, 1);
        double[] lambda = new double[p];
        lambda[0] = top;
        lambda[1] = bottom;
        for (int i = 2; i < p; i++) {
            lambda[i] = bulk * (2.0 * random.nextDouble() - 1.0);
        }
        return lambda;
    }

    private static DMatrixRMaj orthogonal(int p, long seed) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(p, p);
        if (!qr.decompose(gaussian(p, p, seed))) {
            throw new IllegalStateException("QR failed");
        }
        return qr.getQ(null, false);
    }

    private static DMatrixRMaj gaussian(int rows, int cols, long seed) {
        SeededRandom random = SeededRandom.stream(seed, 0);
        DMatrixRMaj g = new DMatrixRMaj(rows, cols);
        random.fillGaussian(g.data, 1.0);
        return g;
    }

    private static INDArray symmetric(DMatrixRMaj a) {
        int p = a.numRows;
        double[][] out = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                out[i][j] = 0.5 * (a.unsafe_get(i, j) + a.unsafe_get(j, i));
            }
        }
        return Nd4j.create(out);
    }
}
