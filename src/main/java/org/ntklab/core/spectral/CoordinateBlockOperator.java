package org.ntklab.core.spectral;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The symmetric block operator of SCIENCE.md ("Hessian structure") restricted to the coordinates
 * it acts on: for two disjoint coordinate ranges I = [a, a + p_a) and J = [b, b + p_b) of a
 * symmetric A (p x p),
 * <pre>
 *   S = P_I A P_J + P_J A P_I   on R^(p_a + p_b), x = (x_I, x_J):   S x = (A_IJ x_J, A_JI x_I)
 * </pre>
 * whose eigenvalues are +/- the singular values of the block A_IJ (and zeros), so
 * ||A_IJ|| = max |eigenvalue of S|. For I = J it is the diagonal block A_II on R^(p_a). Each
 * application embeds into R^p, applies A (twice for I != J, once for I = J) and extracts.
 * Keeps four work vectors of length p; not for concurrent use.
 */
public final class CoordinateBlockOperator implements LinearOperator {

    private final LinearOperator a;
    private final long rowOffset;
    private final long rowSize;
    private final long columnOffset;
    private final long columnSize;
    private final boolean diagonal;
    private final INDArray embedded;
    private final INDArray image;

    /**
     * @param a            the full operator, not retained beyond this one
     * @param rowOffset    a, the first coordinate of I
     * @param rowSize      p_a
     * @param columnOffset b, the first coordinate of J (equal to a for the diagonal block)
     * @param columnSize   p_b
     */
    public CoordinateBlockOperator(LinearOperator a, long rowOffset, long rowSize, long columnOffset,
            long columnSize) {
        long p = a.dimension();
        if (rowOffset < 0 || rowSize < 1 || rowOffset + rowSize > p || columnOffset < 0 || columnSize < 1
                || columnOffset + columnSize > p) {
            throw new IllegalArgumentException("block ranges must lie in [0, " + p + ")");
        }
        this.diagonal = rowOffset == columnOffset && rowSize == columnSize;
        if (!diagonal && rowOffset < columnOffset + columnSize && columnOffset < rowOffset + rowSize) {
            throw new IllegalArgumentException("off-diagonal block ranges must be disjoint");
        }
        this.a = a;
        this.rowOffset = rowOffset;
        this.rowSize = rowSize;
        this.columnOffset = columnOffset;
        this.columnSize = columnSize;
        this.embedded = Nd4j.create(a.dataType(), p);
        this.image = Nd4j.create(a.dataType(), p);
    }

    @Override
    public long dimension() {
        return diagonal ? rowSize : rowSize + columnSize;
    }

    @Override
    public DataType dataType() {
        return a.dataType();
    }

    /** y := S x; x is read only. */
    @Override
    public void apply(INDArray x, INDArray y) {
        if (diagonal) {
            embed(x, 0, rowOffset, rowSize);
            a.apply(embedded, image);
            y.assign(range(image, rowOffset, rowSize));
            return;
        }
        // (S x)_I = A_IJ x_J
        embed(x, rowSize, columnOffset, columnSize);
        a.apply(embedded, image);
        range(y, 0, rowSize).assign(range(image, rowOffset, rowSize));
        // (S x)_J = A_JI x_I
        embed(x, 0, rowOffset, rowSize);
        a.apply(embedded, image);
        range(y, rowSize, columnSize).assign(range(image, columnOffset, columnSize));
    }

    /** embedded := 0 except embedded[to, to + size) = x[from, from + size). */
    private void embed(INDArray x, long from, long to, long size) {
        embedded.assign(0.0);
        range(embedded, to, size).assign(range(x, from, size));
    }

    private static INDArray range(INDArray v, long offset, long size) {
        return v.get(NDArrayIndex.interval(offset, offset + size));
    }
}
