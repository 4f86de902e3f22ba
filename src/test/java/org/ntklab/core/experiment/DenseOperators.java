package org.ntklab.core.experiment;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ntklab.core.spectral.LinearOperator;

/** Dense matrices of operators for tests, and their singular values by EJML's SVD (independent of Lanczos). */
final class DenseOperators {

    private DenseOperators() {
    }

    /** A e_j for every unit vector: the dense p x p matrix, DOUBLE. */
    static INDArray dense(LinearOperator a) {
        int p = Math.toIntExact(a.dimension());
        INDArray m = Nd4j.create(DataType.DOUBLE, p, p);
        INDArray y = Nd4j.create(a.dataType(), p);
        for (int j = 0; j < p; j++) {
            INDArray e = Nd4j.zeros(a.dataType(), p);
            e.putScalar(j, 1.0);
            a.apply(e, y);
            m.getColumn(j).assign(y.castTo(DataType.DOUBLE));
        }
        return m;
    }

    /** The rows [r, r + pr) and columns [c, c + pc) of m, a copy. */
    static INDArray block(INDArray m, long r, long pr, long c, long pc) {
        return m.get(NDArrayIndex.interval(r, r + pr), NDArrayIndex.interval(c, c + pc)).dup();
    }

    /** The largest singular value of m (2-D) by EJML's SVD. */
    static double largestSingularValue(INDArray m) {
        int rows = Math.toIntExact(m.rows());
        int cols = Math.toIntExact(m.columns());
        double[] data = m.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] s = SingularOps_DDRM.singularValues(DMatrixRMaj.wrap(rows, cols, data));
        double max = 0.0;
        for (double v : s) {
            max = Math.max(max, v);
        }
        return max;
    }
}
