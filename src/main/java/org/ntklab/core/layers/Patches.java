package org.ntklab.core.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * im2col and its adjoint col2im for NCHW batches, as index gathers and scatters on the Java heap:
 * the patch matrix has one row per output position (n, y, x) and one column per (c, i, j),
 * <pre>
 *   P[(n, y, x), (c, i, j)] = a[n, c, y sy + i - ph, x sx + j - pw]   (0 outside the image)
 * </pre>
 * and col2im adds each entry of a matrix of that shape back onto its pixel (the transpose). They
 * move data only; the convolution's arithmetic is the GEMM on P. (ND4J's im2col op measured 7-20
 * ms for one 16 x 8 x 8 image here, against microseconds for these loops.)
 */
final class Patches {

    private final int channels;
    private final int height;
    private final int width;
    private final int kh;
    private final int kw;
    private final int sy;
    private final int sx;
    private final int ph;
    private final int pw;
    private final int outHeight;
    private final int outWidth;

    Patches(int channels, int height, int width, int kh, int kw, int sy, int sx, int ph, int pw, int outHeight,
            int outWidth) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.kh = kh;
        this.kw = kw;
        this.sy = sy;
        this.sx = sx;
        this.ph = ph;
        this.pw = pw;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
    }

    private static double[] heap(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    private static INDArray create(double[] values, DataType dtype, long... shape) {
        INDArray a = Nd4j.create(values, shape, DataType.DOUBLE);
        return dtype == DataType.DOUBLE ? a : a.castTo(dtype);
    }

    /** P, shape (n outH outW, C kh kw); a new array of the input's type. {@code input} is not modified. */
    INDArray im2col(INDArray input, long n) {
        double[] a = heap(input);
        int k = channels * kh * kw;
        int positions = outHeight * outWidth;
        double[] p = new double[Math.toIntExact(n * positions * k)];
        int image = channels * height * width;
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < outHeight; y++) {
                for (int x = 0; x < outWidth; x++) {
                    int row = ((b * outHeight + y) * outWidth + x) * k;
                    int x0 = x * sx - pw;
                    for (int c = 0; c < channels; c++) {
                        for (int i = 0; i < kh; i++) {
                            int yy = y * sy + i - ph;
                            if (yy < 0 || yy >= height) {
                                continue;
                            }
                            int src = b * image + (c * height + yy) * width;
                            int dst = row + (c * kh + i) * kw;
                            int from = Math.max(0, -x0);
                            int to = Math.min(kw, width - x0);
                            if (to > from) {
                                System.arraycopy(a, src + x0 + from, p, dst + from, to - from);
                            }
                        }
                    }
                }
            }
        }
        return create(p, input.dataType(), n * positions, k);
    }

    /** The transpose of {@link #im2col}: shape (n, C, H, W), a new array. {@code matrix} is not modified. */
    INDArray col2im(INDArray matrix, long n) {
        double[] p = heap(matrix);
        int k = channels * kh * kw;
        int image = channels * height * width;
        double[] a = new double[Math.toIntExact(n * image)];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < outHeight; y++) {
                for (int x = 0; x < outWidth; x++) {
                    int row = ((b * outHeight + y) * outWidth + x) * k;
                    int x0 = x * sx - pw;
                    int from = Math.max(0, -x0);
                    int to = Math.min(kw, width - x0);
                    for (int c = 0; c < channels; c++) {
                        for (int i = 0; i < kh; i++) {
                            int yy = y * sy + i - ph;
                            if (yy < 0 || yy >= height) {
                                continue;
                            }
                            int dst = b * image + (c * height + yy) * width + x0;
                            int src = row + (c * kh + i) * kw;
                            for (int j = from; j < to; j++) {
                                a[dst + j] += p[src + j];
                            }
                        }
                    }
                }
            }
        }
        return create(a, matrix.dataType(), n, channels, height, width);
    }
}
