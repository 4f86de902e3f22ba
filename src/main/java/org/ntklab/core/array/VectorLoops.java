package org.ntklab.core.array;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Loops} over the Vector API at the CPU's preferred width (8 doubles with AVX-512), a
 * scalar tail for the last len mod lanes elements. Loaded only through {@link Simd#load}.
 */
public final class VectorLoops implements Loops {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Per-thread lanes of dot8's running sums, read back for the scalar tail and the fixed-order total. */
    private static final ThreadLocal<double[]> LANES = ThreadLocal.withInitial(() -> new double[8]);
    private static final int L = S.length();

    @Override
    public void multiply(double[] x, double[] y, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            DoubleVector.fromArray(S, x, i).mul(DoubleVector.fromArray(S, y, i)).intoArray(x, i);
        }
        for (; i < len; i++) {
            x[i] *= y[i];
        }
    }

    @Override
    public void multiplyAddTriple(double[] x, double[] a, double[] b, double[] c, double[] d, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            DoubleVector bcd = DoubleVector.fromArray(S, b, i).mul(DoubleVector.fromArray(S, c, i))
                    .mul(DoubleVector.fromArray(S, d, i));
            DoubleVector.fromArray(S, x, i).mul(DoubleVector.fromArray(S, a, i)).add(bcd).intoArray(x, i);
        }
        for (; i < len; i++) {
            x[i] = x[i] * a[i] + b[i] * c[i] * d[i];
        }
    }

    @Override
    public void multiplyScaled(double[] x, int xOffset, double scale, double[] right, int offset, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            DoubleVector r = DoubleVector.fromArray(S, right, offset + i).mul(scale);
            DoubleVector.fromArray(S, x, xOffset + i).mul(r).intoArray(x, xOffset + i);
        }
        for (; i < len; i++) {
            x[xOffset + i] *= scale * right[offset + i];
        }
    }

    @Override
    public void axpy(double[] y, int yOffset, double a, double[] x, int xOffset, int len) {
        DoubleVector av = DoubleVector.broadcast(S, a);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            av.fma(DoubleVector.fromArray(S, x, xOffset + i), DoubleVector.fromArray(S, y, yOffset + i))
                    .intoArray(y, yOffset + i);
        }
        for (; i < len; i++) {
            y[yOffset + i] = Math.fma(a, x[xOffset + i], y[yOffset + i]);
        }
    }

    @Override
    public void combine(double[] out, int outOffset, double[] coef, int coefOffset, int coefStride, int terms,
            double[] rows, int rowOffset, int rowStride, int len, boolean add) {
        // Each chain starts from zero's lanes or, under this mask, from out's: a blend, not a
        // choice between two vectors (a vector merged at a join may be boxed).
        VectorMask<Double> from = S.maskAll(add);
        DoubleVector zero = DoubleVector.zero(S);
        int j = 0;
        // Eight vectors of j at a time: eight independent chains of fused multiply-adds hide their
        // latency and share each broadcast coefficient.
        for (int bound = len - 8 * L; j <= bound; j += 8 * L) {
            int o = outOffset + j;
            DoubleVector a0 = zero.blend(DoubleVector.fromArray(S, out, o), from);
            DoubleVector a1 = zero.blend(DoubleVector.fromArray(S, out, o + L), from);
            DoubleVector a2 = zero.blend(DoubleVector.fromArray(S, out, o + 2 * L), from);
            DoubleVector a3 = zero.blend(DoubleVector.fromArray(S, out, o + 3 * L), from);
            DoubleVector a4 = zero.blend(DoubleVector.fromArray(S, out, o + 4 * L), from);
            DoubleVector a5 = zero.blend(DoubleVector.fromArray(S, out, o + 5 * L), from);
            DoubleVector a6 = zero.blend(DoubleVector.fromArray(S, out, o + 6 * L), from);
            DoubleVector a7 = zero.blend(DoubleVector.fromArray(S, out, o + 7 * L), from);
            for (int t = 0; t < terms; t++) {
                DoubleVector c = DoubleVector.broadcast(S, coef[coefOffset + t * coefStride]);
                int at = rowOffset + t * rowStride + j;
                a0 = c.fma(DoubleVector.fromArray(S, rows, at), a0);
                a1 = c.fma(DoubleVector.fromArray(S, rows, at + L), a1);
                a2 = c.fma(DoubleVector.fromArray(S, rows, at + 2 * L), a2);
                a3 = c.fma(DoubleVector.fromArray(S, rows, at + 3 * L), a3);
                a4 = c.fma(DoubleVector.fromArray(S, rows, at + 4 * L), a4);
                a5 = c.fma(DoubleVector.fromArray(S, rows, at + 5 * L), a5);
                a6 = c.fma(DoubleVector.fromArray(S, rows, at + 6 * L), a6);
                a7 = c.fma(DoubleVector.fromArray(S, rows, at + 7 * L), a7);
            }
            a0.intoArray(out, o);
            a1.intoArray(out, o + L);
            a2.intoArray(out, o + 2 * L);
            a3.intoArray(out, o + 3 * L);
            a4.intoArray(out, o + 4 * L);
            a5.intoArray(out, o + 5 * L);
            a6.intoArray(out, o + 6 * L);
            a7.intoArray(out, o + 7 * L);
        }
        for (int bound = S.loopBound(len); j < bound; j += L) {
            DoubleVector a0 = zero.blend(DoubleVector.fromArray(S, out, outOffset + j), from);
            for (int t = 0; t < terms; t++) {
                a0 = DoubleVector.broadcast(S, coef[coefOffset + t * coefStride])
                        .fma(DoubleVector.fromArray(S, rows, rowOffset + t * rowStride + j), a0);
            }
            a0.intoArray(out, outOffset + j);
        }
        ScalarLoops.combineFrom(j, out, outOffset, coef, coefOffset, coefStride, terms, rows, rowOffset, rowStride, len,
                add);
    }

    @Override
    public void combine4(double[] out, int outOffset, int outStride, double[] coef, int coefOffset, int coefQStride,
            int coefStride, int terms, double[] rows, int rowOffset, int rowStride, int len, boolean add) {
        VectorMask<Double> from = S.maskAll(add); // as in combine
        DoubleVector zero = DoubleVector.zero(S);
        int j = 0;
        // Two vectors of j for four outputs: eight chains, each loaded vector used four times.
        for (int bound = len - 2 * L; j <= bound; j += 2 * L) {
            int o = outOffset + j;
            DoubleVector a0 = zero.blend(DoubleVector.fromArray(S, out, o), from);
            DoubleVector a1 = zero.blend(DoubleVector.fromArray(S, out, o + L), from);
            DoubleVector b0 = zero.blend(DoubleVector.fromArray(S, out, o + outStride), from);
            DoubleVector b1 = zero.blend(DoubleVector.fromArray(S, out, o + outStride + L), from);
            DoubleVector c0 = zero.blend(DoubleVector.fromArray(S, out, o + 2 * outStride), from);
            DoubleVector c1 = zero.blend(DoubleVector.fromArray(S, out, o + 2 * outStride + L), from);
            DoubleVector d0 = zero.blend(DoubleVector.fromArray(S, out, o + 3 * outStride), from);
            DoubleVector d1 = zero.blend(DoubleVector.fromArray(S, out, o + 3 * outStride + L), from);
            for (int t = 0; t < terms; t++) {
                int at = rowOffset + t * rowStride + j;
                DoubleVector r0 = DoubleVector.fromArray(S, rows, at);
                DoubleVector r1 = DoubleVector.fromArray(S, rows, at + L);
                int ct = coefOffset + t * coefStride;
                DoubleVector k0 = DoubleVector.broadcast(S, coef[ct]);
                DoubleVector k1 = DoubleVector.broadcast(S, coef[ct + coefQStride]);
                DoubleVector k2 = DoubleVector.broadcast(S, coef[ct + 2 * coefQStride]);
                DoubleVector k3 = DoubleVector.broadcast(S, coef[ct + 3 * coefQStride]);
                a0 = k0.fma(r0, a0);
                a1 = k0.fma(r1, a1);
                b0 = k1.fma(r0, b0);
                b1 = k1.fma(r1, b1);
                c0 = k2.fma(r0, c0);
                c1 = k2.fma(r1, c1);
                d0 = k3.fma(r0, d0);
                d1 = k3.fma(r1, d1);
            }
            a0.intoArray(out, o);
            a1.intoArray(out, o + L);
            b0.intoArray(out, o + outStride);
            b1.intoArray(out, o + outStride + L);
            c0.intoArray(out, o + 2 * outStride);
            c1.intoArray(out, o + 2 * outStride + L);
            d0.intoArray(out, o + 3 * outStride);
            d1.intoArray(out, o + 3 * outStride + L);
        }
        if (j < len) {
            for (int q = 0; q < 4; q++) {
                combine(out, outOffset + q * outStride + j, coef, coefOffset + q * coefQStride, coefStride, terms,
                        rows, rowOffset + j, rowStride, len - j, add);
            }
        }
    }

    @Override
    public double dot8(double[] x, int xOffset, double[] y, int yOffset, int len) {
        if (L != 8) { // the eight running sums are eight lanes only at 512 bits
            return ScalarLoops.dot8Tail(new double[8], x, xOffset, y, yOffset, 0, len);
        }
        DoubleVector sums = DoubleVector.zero(S);
        int bound = S.loopBound(len);
        for (int j = 0; j < bound; j += L) {
            sums = DoubleVector.fromArray(S, x, xOffset + j).fma(DoubleVector.fromArray(S, y, yOffset + j), sums);
        }
        double[] lanes = LANES.get(); // not toArray(): a new array per call (160 KB per shallow step, 2,000 calls)
        sums.intoArray(lanes, 0);
        return ScalarLoops.dot8Tail(lanes, x, xOffset, y, yOffset, bound, len);
    }

    @Override
    public void multiplyAdd(double[] x, double[] a, double[] b, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            DoubleVector.fromArray(S, a, i).fma(DoubleVector.fromArray(S, b, i), DoubleVector.fromArray(S, x, i))
                    .intoArray(x, i);
        }
        for (; i < len; i++) {
            x[i] += a[i] * b[i];
        }
    }

    @Override
    public void scaledDifference(double[] f, double[] y, double scale, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            DoubleVector.fromArray(S, f, i).sub(DoubleVector.fromArray(S, y, i)).mul(scale).intoArray(f, i);
        }
        for (; i < len; i++) {
            f[i] = (f[i] - y[i]) * scale;
        }
    }

    @Override
    public double sumSquaredDifference(double[] f, double[] y, int len) {
        DoubleVector acc = DoubleVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            DoubleVector r = DoubleVector.fromArray(S, f, i).sub(DoubleVector.fromArray(S, y, i));
            acc = r.fma(r, acc);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            double r = f[i] - y[i];
            sum += r * r;
        }
        return sum;
    }

    @Override
    public void exp(double[] x, int len) {
        int i = S.loopBound(len);
        VectorExp.exp(x, x, i);
        for (; i < len; i++) {
            x[i] = Exp.exp(x[i]);
        }
    }
}
