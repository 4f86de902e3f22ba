package org.ntklab.core.array;

/**
 * The element-wise loops of {@link Elementwise} on one chunk of heap arrays, elements [0, len).
 * Two implementations compute the same formulas: {@link ScalarLoops} and, when the Vector API is
 * present ({@link Simd}), {@code VectorLoops}. Results may differ in the last bit (a fused
 * multiply-add, a different summation order), never more.
 */
interface Loops {

    /** x := x o y. */
    void multiply(double[] x, double[] y, int len);

    /** x := x o a + b o c o d. */
    void multiplyAddTriple(double[] x, double[] a, double[] b, double[] c, double[] d, int len);

    /** x[i] := x[i] * (scale * right[offset + i]). */
    void multiplyScaled(double[] x, double scale, double[] right, int offset, int len);

    /** x := x + a o b. */
    void multiplyAdd(double[] x, double[] a, double[] b, int len);

    /** f := scale (f - y). */
    void scaledDifference(double[] f, double[] y, double scale, int len);

    /** sum_i (f_i - y_i)^2. */
    double sumSquaredDifference(double[] f, double[] y, int len);

    /** x := e^x, within 1 ulp (the vector path calls SVML's exp). */
    void exp(double[] x, int len);
}
