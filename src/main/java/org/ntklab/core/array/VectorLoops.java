package org.ntklab.core.array;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Loops} over the Vector API at the CPU's preferred width (8 doubles with AVX-512), a
 * scalar tail for the last len mod lanes elements. Loaded only through {@link Simd#load}.
 */
public final class VectorLoops implements Loops {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
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
    public void multiplyScaled(double[] x, double scale, double[] right, int offset, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            DoubleVector r = DoubleVector.fromArray(S, right, offset + i).mul(scale);
            DoubleVector.fromArray(S, x, i).mul(r).intoArray(x, i);
        }
        for (; i < len; i++) {
            x[i] *= scale * right[offset + i];
        }
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
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            DoubleVector.fromArray(S, x, i).lanewise(VectorOperators.EXP).intoArray(x, i);
        }
        for (; i < len; i++) {
            x[i] = Math.exp(x[i]);
        }
    }
}
