package org.ntklab.core.array;

/**
 * The element-wise loops of {@link Elementwise} on one chunk of heap arrays, elements [0, len).
 * Two implementations compute the same formulas: {@link ScalarLoops} and, when the Vector API is
 * present ({@link Simd}), {@code VectorLoops}. Results may differ in the last bit (a fused
 * multiply-add, a different summation order), never more; exp is bit-identical.
 */
interface Loops {

    /** x := x o y. */
    void multiply(double[] x, double[] y, int len);

    /** x := x o a + b o c o d. */
    void multiplyAddTriple(double[] x, double[] a, double[] b, double[] c, double[] d, int len);

    /** x[xOffset + i] := x[xOffset + i] * (scale * right[offset + i]). */
    void multiplyScaled(double[] x, int xOffset, double scale, double[] right, int offset, int len);

    /** y[yOffset + i] := fma(a, x[xOffset + i], y[yOffset + i]) for i in [0, len): the same bits on both paths. */
    void axpy(double[] y, int yOffset, double a, double[] x, int xOffset, int len);

    /**
     * out[outOffset + j] := sum_t coef[coefOffset + t coefStride] rows[rowOffset + t rowStride + j]
     * for j in [0, len), t = 0 .. terms - 1 in order, one fused multiply-add per term starting
     * from 0, or with {@code add} from out's own value (so that a sum split in consecutive calls
     * is the same chain as one call): the same bits on both paths. A small matrix product whose
     * long dimension (j) is the vectorised one.
     */
    void combine(double[] out, int outOffset, double[] coef, int coefOffset, int coefStride, int terms, double[] rows,
            int rowOffset, int rowStride, int len, boolean add);

    /**
     * {@link #combine} for four outputs q = 0..3 at once, sharing each load of {@code rows}:
     * out[outOffset + q outStride + j] := sum_t coef[coefOffset + q coefQStride + t coefStride]
     * rows[rowOffset + t rowStride + j]. Each output element is the same chain of fused
     * multiply-adds as {@link #combine}'s (from out's value with {@code add}).
     */
    void combine4(double[] out, int outOffset, int outStride, double[] coef, int coefOffset, int coefQStride,
            int coefStride, int terms, double[] rows, int rowOffset, int rowStride, int len, boolean add);

    /**
     * sum_j x[xOffset + j] y[yOffset + j] for j in [0, len) in a fixed order, the same bits on
     * every path and vector width: eight running sums, term j going to sum j mod 8 by a fused
     * multiply-add, combined as ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)).
     */
    double dot8(double[] x, int xOffset, double[] y, int yOffset, int len);

    /** x := x + a o b. */
    void multiplyAdd(double[] x, double[] a, double[] b, int len);

    /** f := scale (f - y). */
    void scaledDifference(double[] f, double[] y, double scale, int len);

    /** sum_i (f_i - y_i)^2. */
    double sumSquaredDifference(double[] f, double[] y, int len);

    /** x := e^x, within 1 ulp ({@link Exp#exp}, bit-identical on both paths). */
    void exp(double[] x, int len);
}
