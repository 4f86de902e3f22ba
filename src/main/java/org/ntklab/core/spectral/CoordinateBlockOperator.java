package org.ntklab.core.spectral;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Flat;

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

    /** y := S x; x is read only. x and y must be contiguous (a fresh vector or a row of a C-ordered matrix). */
    @Override
    public void apply(INDArray x, INDArray y) {
        // element copies through Flat: ND4J's view-and-assign costs far more than the copy on small blocks
        Flat in = Flat.of(x);
        Flat out = Flat.of(y);
        Flat e = Flat.of(embedded);
        Flat im = Flat.of(image);
        if (diagonal) {
            embed(in, 0, rowOffset, rowSize, e);
            a.apply(embedded, image);
            copy(im, rowOffset, out, 0, rowSize);
            return;
        }
        // (S x)_I = A_IJ x_J
        embed(in, rowSize, columnOffset, columnSize, e);
        a.apply(embedded, image);
        copy(im, rowOffset, out, 0, rowSize);
        // (S x)_J = A_JI x_I
        embed(in, 0, rowOffset, rowSize, e);
        a.apply(embedded, image);
        copy(im, columnOffset, out, rowSize, columnSize);
    }

    /** embedded := 0 except embedded[to, to + size) = x[from, from + size). */
    private void embed(Flat x, long from, long to, long size, Flat e) {
        fillZero(e, 0, to);
        copy(x, from, e, to, size);
        fillZero(e, to + size, e.length() - to - size);
    }

    private final double[] chunk = new double[CHUNK];

    /** Copies {@code size} elements through a reused chunk. */
    private void copy(Flat from, long fromOffset, Flat to, long toOffset, long size) {
        for (long done = 0; done < size; done += CHUNK) {
            int len = (int) Math.min(CHUNK, size - done);
            from.read(Math.toIntExact(fromOffset + done), chunk, len);
            to.write(Math.toIntExact(toOffset + done), chunk, len);
        }
    }

    private static final int CHUNK = 1 << 14;
    private static final double[] ZEROS = new double[CHUNK];

    private static void fillZero(Flat to, long offset, long size) {
        for (long done = 0; done < size; done += CHUNK) {
            int len = (int) Math.min(CHUNK, size - done);
            to.write(Math.toIntExact(offset + done), ZEROS, len);
        }
    }
}
