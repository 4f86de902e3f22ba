package org.ntklab.core.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ntklab.core.autodiff.Derivatives;
import org.ntklab.core.autodiff.ForwardPass;
import org.ntklab.core.nn.Network;

/**
 * The Jacobian J of the stacked outputs, materialised row by row (one reverse pass per output
 * f_k(x_i), row i c + k), and the kernel J J^T from it. For tests and tiny networks only: J has
 * n c p entries. {@link TangentKernel} computes the same kernel without J.
 */
public final class ExplicitJacobian {

    private ExplicitJacobian() {
    }

    /** J, shape (n c, p), at the network's current weights on inputs x (n, d); a new array. */
    public static INDArray jacobian(Network network, INDArray x) {
        int n = Math.toIntExact(x.rows());
        int c = network.architecture().outputDim();
        long p = network.parameterCount();
        INDArray jacobian = Nd4j.create(network.dataType(), (long) n * c, p);
        INDArray row = Nd4j.create(network.dataType(), p);
        for (int i = 0; i < n; i++) {
            ForwardPass pass = ForwardPass.run(network, x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup());
            for (int k = 0; k < c; k++) {
                INDArray unit = Nd4j.zeros(network.dataType(), 1, c);
                unit.putScalar(0, k, 1.0);
                Derivatives.vjp(pass, unit, row);
                jacobian.getRow((long) i * c + k).assign(row);
            }
        }
        return jacobian;
    }

    /** K = J J^T, shape (n c, n c). */
    public static INDArray kernel(Network network, INDArray x) {
        INDArray j = jacobian(network, x);
        INDArray k = Nd4j.create(network.dataType(), j.rows(), j.rows());
        Nd4j.gemm(j, j, k, false, true, 1.0, 0.0);
        return k;
    }
}
