package org.ntklab.core.array;

/** {@link Loops} as plain Java loops (C2 vectorises the products itself; exp is Exp's, as the vector path's). */
final class ScalarLoops implements Loops {

    @Override
    public void multiply(double[] x, double[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] *= y[i];
        }
    }

    @Override
    public void multiplyAddTriple(double[] x, double[] a, double[] b, double[] c, double[] d, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = x[i] * a[i] + b[i] * c[i] * d[i];
        }
    }

    @Override
    public void multiplyScaled(double[] x, int xOffset, double scale, double[] right, int offset, int len) {
        for (int i = 0; i < len; i++) {
            x[xOffset + i] *= scale * right[offset + i];
        }
    }

    @Override
    public void axpy(double[] y, int yOffset, double a, double[] x, int xOffset, int len) {
        for (int i = 0; i < len; i++) {
            y[yOffset + i] = Math.fma(a, x[xOffset + i], y[yOffset + i]);
        }
    }

    @Override
    public void combine(double[] out, int outOffset, double[] coef, int coefOffset, int coefStride, int terms,
            double[] rows, int rowOffset, int rowStride, int len, boolean add) {
        combineFrom(0, out, outOffset, coef, coefOffset, coefStride, terms, rows, rowOffset, rowStride, len, add);
    }

    /** {@link #combine} for j in [from, len) (the vector path's tail). */
    static void combineFrom(int from, double[] out, int outOffset, double[] coef, int coefOffset, int coefStride,
            int terms, double[] rows, int rowOffset, int rowStride, int len, boolean add) {
        for (int j = from; j < len; j++) {
            double acc = add ? out[outOffset + j] : 0.0;
            for (int t = 0; t < terms; t++) {
                acc = Math.fma(coef[coefOffset + t * coefStride], rows[rowOffset + t * rowStride + j], acc);
            }
            out[outOffset + j] = acc;
        }
    }

    @Override
    public void combine4(double[] out, int outOffset, int outStride, double[] coef, int coefOffset, int coefQStride,
            int coefStride, int terms, double[] rows, int rowOffset, int rowStride, int len, boolean add) {
        for (int q = 0; q < 4; q++) {
            combine(out, outOffset + q * outStride, coef, coefOffset + q * coefQStride, coefStride, terms, rows,
                    rowOffset, rowStride, len, add);
        }
    }

    @Override
    public double dot8(double[] x, int xOffset, double[] y, int yOffset, int len) {
        return dot8Tail(new double[8], x, xOffset, y, yOffset, 0, len);
    }

    /** Adds terms [from, len) to the eight running sums (from a multiple of 8) and combines them. */
    static double dot8Tail(double[] sums, double[] x, int xOffset, double[] y, int yOffset, int from, int len) {
        for (int j = from; j < len; j++) {
            sums[j & 7] = Math.fma(x[xOffset + j], y[yOffset + j], sums[j & 7]);
        }
        return ((sums[0] + sums[1]) + (sums[2] + sums[3])) + ((sums[4] + sums[5]) + (sums[6] + sums[7]));
    }

    @Override
    public void multiplyAdd(double[] x, double[] a, double[] b, int len) {
        for (int i = 0; i < len; i++) {
            x[i] += a[i] * b[i];
        }
    }

    @Override
    public void scaledDifference(double[] f, double[] y, double scale, int len) {
        for (int i = 0; i < len; i++) {
            f[i] = (f[i] - y[i]) * scale;
        }
    }

    @Override
    public double sumSquaredDifference(double[] f, double[] y, int len) {
        double sum = 0.0;
        for (int i = 0; i < len; i++) {
            double r = f[i] - y[i];
            sum += r * r;
        }
        return sum;
    }

    @Override
    public void exp(double[] x, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Exp.exp(x[i]);
        }
    }
}
