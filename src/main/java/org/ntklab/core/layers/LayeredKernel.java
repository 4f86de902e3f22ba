package org.ntklab.core.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The full tangent kernel K = J J^T (n c x n c, row i c + k for output k of example i) of a layered
 * model by Jacobian contraction in bounded tiles: a tile holds the Jacobian rows of a range of
 * examples, each row grad_w f_k(w; x_i) from one reverse pass of that example alone, and
 * K[A, B] = J_A J_B^T for every pair of tiles A &lt;= B (lower blocks by symmetry). A tile holds at most
 * {@code tileBytes} (at least one example's c rows), so the memory is 2 tileBytes besides K;
 * when all of J fits in one tile it is built once. Tiling changes only the order of the sums'
 * groupings over examples, not any row: the result equals the one-tile J J^T to rounding.
 */
public final class LayeredKernel {

    /** The default tile budget: 256 MiB of Jacobian rows. */
    public static final long DEFAULT_TILE_BYTES = 256L << 20;

    private LayeredKernel() {
    }

    /** K(w) on inputs x (n, d) with the default tile budget; a new array. */
    public static INDArray full(LayeredNetwork network, INDArray x) {
        return full(network, x, DEFAULT_TILE_BYTES);
    }

    /** The examples one tile holds under {@code tileBytes}: at least 1. */
    public static int examplesPerTile(long parameterCount, int outputs, int widthBytes, long tileBytes) {
        long perExample = parameterCount * outputs * widthBytes;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, tileBytes / Math.max(1, perExample)));
    }

    /** K(w) on inputs x (n, d), tiles of at most {@code tileBytes}; a new array. */
    public static INDArray full(LayeredNetwork network, INDArray x, long tileBytes) {
        int n = Math.toIntExact(x.rows());
        int c = network.outputDim();
        int per = examplesPerTile(network.parameterCount(), c, network.dataType().width(), tileBytes);
        INDArray kernel = Nd4j.create(network.dataType(), (long) n * c, (long) n * c);
        if (per >= n) {
            INDArray j = jacobian(network, x, 0, n);
            Nd4j.gemm(j, j, kernel, false, true, 1.0, 0.0);
            return kernel;
        }
        for (int a = 0; a < n; a += per) {
            int aEnd = Math.min(n, a + per);
            INDArray ja = jacobian(network, x, a, aEnd);
            for (int b = a; b < n; b += per) {
                int bEnd = Math.min(n, b + per);
                INDArray jb = b == a ? ja : jacobian(network, x, b, bEnd);
                INDArray block = Nd4j.create(network.dataType(), (long) (aEnd - a) * c, (long) (bEnd - b) * c);
                Nd4j.gemm(ja, jb, block, false, true, 1.0, 0.0);
                kernel.get(NDArrayIndex.interval((long) a * c, (long) aEnd * c),
                        NDArrayIndex.interval((long) b * c, (long) bEnd * c)).assign(block);
                if (b != a) {
                    kernel.get(NDArrayIndex.interval((long) b * c, (long) bEnd * c),
                            NDArrayIndex.interval((long) a * c, (long) aEnd * c)).assign(block.transpose());
                }
            }
        }
        return kernel;
    }

    /** The Jacobian rows of examples [from, to): shape ((to - from) c, p), row (i - from) c + k. */
    public static INDArray jacobian(LayeredNetwork network, INDArray x, int from, int to) {
        int c = network.outputDim();
        long p = network.parameterCount();
        INDArray j = Nd4j.create(network.dataType(), (long) (to - from) * c, p);
        INDArray row = Nd4j.create(network.dataType(), p);
        for (int i = from; i < to; i++) {
            Layer.Trace trace = network.forward(x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup());
            for (int k = 0; k < c; k++) {
                INDArray unit = Nd4j.zeros(network.dataType(), 1, c);
                unit.putScalar(0, k, 1.0);
                network.vjp(trace, unit, row);
                j.getRow((long) (i - from) * c + k).assign(row);
            }
        }
        return j;
    }
}
