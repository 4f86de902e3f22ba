package org.ntklab.core.array;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fused element-wise products on contiguous DOUBLE or FLOAT arrays, split over threads by
 * {@link Parallel}. ND4J's own element-wise ops cost an op dispatch, an allocation for every
 * non-in-place result and one pass over memory per operator; these loops read each operand once,
 * in cache-sized chunks copied to the Java heap, and run in double (float arrays are rounded on
 * the way back). The chunk loops are SIMD (the Vector API) where {@link Simd} says so, plain
 * loops otherwise; both compute the same formulas.
 *
 * <p>Arguments must have equal lengths; the target may alias an operand. Only the target is
 * modified.
 */
public final class Elementwise {

    /** Elements per chunk: five operands of 4096 doubles stay within a 256 KiB L2 share. */
    private static final int CHUNK = 4096;
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[5][CHUNK]);
    private static final Loops SCALAR = new ScalarLoops();
    private static final Loops VECTOR = Simd.load("org.ntklab.core.array.VectorLoops", Loops.class);

    private Elementwise() {
    }

    /** target := target o factor. */
    public static void multiply(INDArray target, INDArray factor) {
        Flat t = Flat.of(target);
        Flat f = flat(factor, t);
        Loops loops = loops();
        Parallel.forRange(t.length(), (from, to) -> {
            double[][] s = SCRATCH.get();
            for (int at = from; at < to; at += CHUNK) {
                int len = Math.min(CHUNK, to - at);
                double[] x = t.read(at, s[0], len);
                loops.multiply(x, f.read(at, s[1], len), len);
                t.write(at, x, len);
            }
        });
    }

    /** target := a o b (target's previous contents are ignored). */
    public static void product(INDArray target, INDArray a, INDArray b) {
        Flat t = Flat.of(target);
        Flat fa = flat(a, t);
        Flat fb = flat(b, t);
        Loops loops = loops();
        Parallel.forRange(t.length(), (from, to) -> {
            double[][] s = SCRATCH.get();
            for (int at = from; at < to; at += CHUNK) {
                int len = Math.min(CHUNK, to - at);
                double[] x = fa.read(at, s[0], len);
                loops.multiply(x, fb.read(at, s[1], len), len);
                t.write(at, x, len);
            }
        });
    }

    /**
     * target := target o a + b o c o d, the second-order reverse signal of the R-operator
     * (R{delta} = (R{delta W}) o sigma' + (delta W) o sigma'' o dZ).
     */
    public static void multiplyAddTriple(INDArray target, INDArray a, INDArray b, INDArray c, INDArray d) {
        Flat t = Flat.of(target);
        Flat fa = flat(a, t);
        Flat fb = flat(b, t);
        Flat fc = flat(c, t);
        Flat fd = flat(d, t);
        Loops loops = loops();
        Parallel.forRange(t.length(), (from, to) -> {
            double[][] s = SCRATCH.get();
            for (int at = from; at < to; at += CHUNK) {
                int len = Math.min(CHUNK, to - at);
                double[] x = t.read(at, s[0], len);
                loops.multiplyAddTriple(x, fa.read(at, s[1], len), fb.read(at, s[2], len), fc.read(at, s[3], len),
                        fd.read(at, s[4], len), len);
                t.write(at, x, len);
            }
        });
    }

    /**
     * rows[(i, k), :] *= d[i, :] for every i and k = 0..c-1: rows has shape (n c, m), d has (n, m).
     * With c = 1 this is {@link #multiply}.
     */
    public static void multiplyRowsRepeated(INDArray rows, INDArray d, int c) {
        if (c == 1) {
            multiply(rows, d);
            return;
        }
        int m = Math.toIntExact(d.columns());
        if (rows.columns() != m || rows.rows() != d.rows() * c) {
            throw new IllegalArgumentException("rows must have shape (" + d.rows() * c + ", " + m + ")");
        }
        Flat t = Flat.of(rows);
        Flat f = Flat.of(d);
        Loops loops = loops();
        Parallel.forRange(t.length(), (from, to) -> {
            double[][] s = SCRATCH.get();
            int at = from;
            while (at < to) {
                int r = at / m;
                int col = at - r * m;
                int len = Math.min(CHUNK, Math.min(to - at, m - col));
                double[] x = t.read(at, s[0], len);
                loops.multiply(x, f.read((r / c) * m + col, s[1], len), len);
                t.write(at, x, len);
                at += len;
            }
        });
    }

    /**
     * target[i, j] := alpha u_i v_j factor[i, j]: a rank-one product fused with a Hadamard factor,
     * the reverse signal below a layer with a single output, (alpha delta W) o sigma', without
     * writing and re-reading the outer product. target and factor have shape (rows, cols); u has
     * rows elements, v has cols.
     */
    public static void outerHadamard(INDArray target, double alpha, INDArray u, INDArray v, INDArray factor) {
        int cols = Math.toIntExact(target.columns());
        int rowCount = Math.toIntExact(target.rows());
        if (u.length() != rowCount || v.length() != cols) {
            throw new IllegalArgumentException("outer product of " + u.length() + " and " + v.length()
                    + " elements does not fit (" + rowCount + ", " + cols + ")");
        }
        Flat t = Flat.of(target);
        Flat f = flat(factor, t);
        double[] left = Flat.of(u).toArray();
        double[] right = Flat.of(v).toArray();
        Loops loops = loops();
        Parallel.forRange(t.length(), (from, to) -> {
            double[][] s = SCRATCH.get();
            int at = from;
            while (at < to) {
                int r = at / cols;
                int col = at - r * cols;
                int len = Math.min(CHUNK, Math.min(to - at, cols - col));
                double[] x = f.read(at, s[0], len);
                loops.multiplyScaled(x, 0, alpha * left[r], right, col, len);
                t.write(at, x, len);
                at += len;
            }
        });
    }

    /** target := target + a o b. */
    public static void multiplyAdd(INDArray target, INDArray a, INDArray b) {
        Flat t = Flat.of(target);
        Flat fa = flat(a, t);
        Flat fb = flat(b, t);
        Loops loops = loops();
        Parallel.forRange(t.length(), (from, to) -> {
            double[][] s = SCRATCH.get();
            for (int at = from; at < to; at += CHUNK) {
                int len = Math.min(CHUNK, to - at);
                double[] x = t.read(at, s[0], len);
                loops.multiplyAdd(x, fa.read(at, s[1], len), fb.read(at, s[2], len), len);
                t.write(at, x, len);
            }
        });
    }

    /**
     * target[r, q] += a[r, q] * b[r / c, q / c] for a square (n c, n c) target and a, and b of shape
     * (n, n): the Hadamard product of a Gram matrix of n rows with a term of n c rows, each Gram entry
     * repeated over a c x c block (the tangent kernel's per-layer sum). With c = 1 it is
     * {@link #multiplyAdd}.
     */
    public static void multiplyAddExpanded(INDArray target, INDArray a, INDArray b, int c) {
        if (c == 1) {
            multiplyAdd(target, a, b);
            return;
        }
        int nc = Math.toIntExact(target.rows());
        int n = nc / c;
        if (target.columns() != nc || a.rows() != nc || a.columns() != nc || b.rows() != n || b.columns() != n
                || n * c != nc) {
            throw new IllegalArgumentException("expected (nc, nc) target and term and an (n, n) Gram matrix, c = " + c);
        }
        Flat t = Flat.of(target);
        Flat fa = Flat.of(a);
        double[] gram = Flat.of(b).toArray();
        Loops loops = loops();
        Parallel.forRange(t.length(), (from, to) -> {
            double[][] s = SCRATCH.get();
            int at = from;
            while (at < to) {
                int r = at / nc;
                int col = at - r * nc;
                int len = Math.min(CHUNK, Math.min(to - at, nc - col));
                double[] x = t.read(at, s[0], len);
                double[] expanded = s[2];
                int base = (r / c) * n;
                for (int i = 0; i < len; i++) {
                    expanded[i] = gram[base + (col + i) / c];
                }
                loops.multiplyAdd(x, fa.read(at, s[1], len), expanded, len);
                t.write(at, x, len);
                at += len;
            }
        });
    }

    /** target := scale (f - y), the scaled residual (target may alias f). */
    public static void scaledDifference(INDArray target, INDArray f, INDArray y, double scale) {
        Flat t = Flat.of(target);
        Flat ff = flat(f, t);
        Flat fy = flat(y, t);
        Loops loops = loops();
        Parallel.forRange(t.length(), (from, to) -> {
            double[][] s = SCRATCH.get();
            for (int at = from; at < to; at += CHUNK) {
                int len = Math.min(CHUNK, to - at);
                double[] x = ff.read(at, s[0], len);
                loops.scaledDifference(x, fy.read(at, s[1], len), scale, len);
                t.write(at, x, len);
            }
        });
    }

    /** sum_i (f_i - y_i)^2 over all elements, f and y not modified (one thread: a loss is small). */
    public static double sumSquaredDifference(INDArray f, INDArray y) {
        Flat ff = Flat.of(f);
        Flat fy = flat(y, ff);
        Loops loops = loops();
        double[][] s = SCRATCH.get();
        double sum = 0.0;
        for (int at = 0; at < ff.length(); at += CHUNK) {
            int len = (int) Math.min(CHUNK, ff.length() - at);
            sum += loops.sumSquaredDifference(ff.read(at, s[0], len), fy.read(at, s[1], len), len);
        }
        return sum;
    }

    /** x := e^x on {@code len} heap elements (within 1 ulp; {@link Exp#exp} on both paths). */
    public static void exp(double[] x, int len) {
        loops().exp(x, len);
    }

    /**
     * out[outOffset + j] := sum_t coef[coefOffset + t coefStride] rows[rowOffset + t rowStride + j]
     * for j in [0, len), the terms t = 0 .. terms - 1 in order by fused multiply-adds from 0 (the
     * same bits on both paths), on the calling thread: a thin matrix product computed in registers.
     */
    public static void combine(double[] out, int outOffset, double[] coef, int coefOffset, int coefStride, int terms,
            double[] rows, int rowOffset, int rowStride, int len) {
        loops().combine(out, outOffset, coef, coefOffset, coefStride, terms, rows, rowOffset, rowStride, len, false);
    }

    /**
     * out[outOffset + j] += sum_t coef[coefOffset + t coefStride] rows[rowOffset + t rowStride + j]:
     * {@link #combine}'s chain of fused multiply-adds continued from out's value, so a sum over
     * terms split in consecutive calls has the bits of one call over all of them.
     */
    public static void combineAdd(double[] out, int outOffset, double[] coef, int coefOffset, int coefStride,
            int terms, double[] rows, int rowOffset, int rowStride, int len) {
        loops().combine(out, outOffset, coef, coefOffset, coefStride, terms, rows, rowOffset, rowStride, len, true);
    }

    /**
     * {@link #combine} for four outputs at once (q = 0..3, coefficients coef[coefOffset + q
     * coefQStride + t coefStride], outputs at outOffset + q outStride), each load of {@code rows}
     * shared by the four: the same bits as four calls of {@link #combine}.
     */
    public static void combine4(double[] out, int outOffset, int outStride, double[] coef, int coefOffset,
            int coefQStride, int coefStride, int terms, double[] rows, int rowOffset, int rowStride, int len) {
        loops().combine4(out, outOffset, outStride, coef, coefOffset, coefQStride, coefStride, terms, rows, rowOffset,
                rowStride, len, false);
    }

    /** {@link #combine4} continued from out's values, as {@link #combineAdd}. */
    public static void combine4Add(double[] out, int outOffset, int outStride, double[] coef, int coefOffset,
            int coefQStride, int coefStride, int terms, double[] rows, int rowOffset, int rowStride, int len) {
        loops().combine4(out, outOffset, outStride, coef, coefOffset, coefQStride, coefStride, terms, rows, rowOffset,
                rowStride, len, true);
    }

    /**
     * sum_j x[xOffset + j] y[yOffset + j], j in [0, len), in a fixed order (eight running sums by
     * fused multiply-adds, combined pairwise): the same bits on the SIMD and scalar paths.
     */
    public static double dot8(double[] x, int xOffset, double[] y, int yOffset, int len) {
        return loops().dot8(x, xOffset, y, yOffset, len);
    }

    /**
     * y := y + a x over whole arrays (contiguous, equal length, DOUBLE or FLOAT), split over
     * threads, one fused multiply-add per element: the gradient step without a BLAS call, whose
     * threads would keep spinning while the next step's Java loops need the cores.
     */
    public static void axpy(double a, INDArray x, INDArray y) {
        Flat fy = Flat.of(y);
        Flat fx = flat(x, fy);
        Loops loops = loops();
        Parallel.forRange(fy.length(), (from, to) -> {
            double[][] s = SCRATCH.get();
            for (int at = from; at < to; at += CHUNK) {
                int len = Math.min(CHUNK, to - at);
                double[] target = fy.read(at, s[0], len);
                loops.axpy(target, 0, a, fx.read(at, s[1], len), 0, len);
                fy.write(at, target, len);
            }
        });
    }

    /**
     * x[xOffset + i] := x[xOffset + i] (scale right[offset + i]) for i in [0, len), on the calling
     * thread (see {@link #combine}).
     */
    public static void multiplyScaled(double[] x, int xOffset, double scale, double[] right, int offset, int len) {
        loops().multiplyScaled(x, xOffset, scale, right, offset, len);
    }

    /** The loops of the current path (read once per call, on the calling thread). */
    private static Loops loops() {
        return VECTOR != null && Simd.vector() ? VECTOR : SCALAR;
    }

    private static Flat flat(INDArray operand, Flat target) {
        Flat f = Flat.of(operand);
        if (f.length() != target.length()) {
            throw new IllegalArgumentException("element-wise operands need equal lengths, got " + f.length()
                    + " and " + target.length());
        }
        return f;
    }
}
