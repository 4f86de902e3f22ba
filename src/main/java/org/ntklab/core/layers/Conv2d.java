package org.ntklab.core.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.nn.Parameterization;

/**
 * A 2-D convolution without bias in NCHW layout, by im2col and one GEMM:
 * <pre>
 *   z[n, o, y, x] = s sum_{c, i, j} W[o, c, i, j] a[n, c, y sy + i - ph, x sx + j - pw]
 * </pre>
 * with zero padding (ph, pw) outside the image, s = 1/sqrt(C_in kh kw) (NTK, W ~ N(0, 1)) or 1
 * (STANDARD, W ~ N(0, 1/(C_in kh kw))). W is stored row-major in (C_out, C_in, kh, kw) order:
 * the (C_out, C_in kh kw) weight matrix of the GEMM. Output size: (H + 2 ph - kh) / sy + 1
 * (floor), likewise for the width. The backward pass to the input is the transposed convolution,
 * computed as col2im (the adjoint of im2col) of D W. im2col and col2im are index moves
 * ({@link Patches}); the arithmetic is GEMM.
 *
 * <p>A 1-D convolution over (C, L) is the same layer on (C, 1, L) with kh = 1
 * ({@link #oneDimensional}).
 */
public final class Conv2d extends LinearLayer {

    /** Zero padding: none, or (k - 1)/2 on every side (odd k), which keeps the size at stride 1. */
    public enum Padding {
        VALID,
        SAME;

        int amount(int kernel) {
            return this == VALID ? 0 : (kernel - 1) / 2;
        }
    }

    private final int inChannels;
    private final int outChannels;
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
    private final boolean oneDimensional;
    private final Patches patches;

    private Conv2d(int inChannels, int height, int width, int outChannels, int kh, int kw, int sy, int sx, int ph,
            int pw, Parameterization parameterization, boolean oneDimensional) {
        super(outChannels, (long) inChannels * kh * kw, parameterization);
        if (inChannels < 1 || outChannels < 1 || kh < 1 || kw < 1 || sy < 1 || sx < 1 || ph < 0 || pw < 0) {
            throw new IllegalArgumentException("channels, kernel size and stride must be >= 1, padding >= 0");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.height = height;
        this.width = width;
        this.kh = kh;
        this.kw = kw;
        this.sy = sy;
        this.sx = sx;
        this.ph = ph;
        this.pw = pw;
        this.outHeight = (height + 2 * ph - kh) / sy + 1;
        this.outWidth = (width + 2 * pw - kw) / sx + 1;
        if (height + 2 * ph < kh || width + 2 * pw < kw) {
            throw new IllegalArgumentException("a " + kh + "x" + kw + " kernel does not fit a padded " + height + "x"
                    + width + " input");
        }
        this.oneDimensional = oneDimensional;
        this.patches = new Patches(inChannels, height, width, kh, kw, sy, sx, ph, pw, outHeight, outWidth);
    }

    /** A square k x k convolution of (C_in, H, W) inputs to C_out channels. */
    public static Conv2d of(int inChannels, int height, int width, int outChannels, int kernel, int stride,
            Padding padding, Parameterization parameterization) {
        requireOddForSame(kernel, padding);
        return new Conv2d(inChannels, height, width, outChannels, kernel, kernel, stride, stride,
                padding.amount(kernel), padding.amount(kernel), parameterization, false);
    }

    /** A 1-D convolution of (C_in, L) inputs to C_out channels with a kernel of k taps. */
    public static Conv2d oneDimensional(int inChannels, int length, int outChannels, int kernel, int stride,
            Padding padding, Parameterization parameterization) {
        requireOddForSame(kernel, padding);
        return new Conv2d(inChannels, 1, length, outChannels, 1, kernel, 1, stride, 0, padding.amount(kernel),
                parameterization, true);
    }

    private static void requireOddForSame(int kernel, Padding padding) {
        if (padding == Padding.SAME && kernel % 2 == 0) {
            throw new IllegalArgumentException("same padding needs an odd kernel size, got " + kernel);
        }
    }

    @Override
    public long[] inputShape() {
        return oneDimensional ? new long[] {inChannels, width} : new long[] {inChannels, height, width};
    }

    @Override
    public long[] outputShape() {
        return oneDimensional ? new long[] {outChannels, outWidth} : new long[] {outChannels, outHeight, outWidth};
    }

    /** The weights' shape in (C_out, C_in, kh, kw) order ((C_out, C_in, k) for 1-D). */
    public long[] kernelShape() {
        return oneDimensional ? new long[] {outChannels, inChannels, kw} : new long[] {outChannels, inChannels, kh, kw};
    }

    /** im2col: (n C_in H W) to the (n outH outW, C_in kh kw) patch matrix, rows in (n, y, x) order. */
    @Override
    INDArray lift(INDArray input) {
        return patches.im2col(input, input.size(0));
    }

    /** col2im: the adjoint of {@link #lift}, summing each patch entry back onto its pixel. */
    @Override
    INDArray lower(INDArray matrix, long n) {
        INDArray image = patches.col2im(matrix, n);
        return oneDimensional ? image.reshape('c', n, inChannels, width) : image;
    }

    @Override
    INDArray fold(INDArray output) {
        long n = output.size(0);
        return output.reshape('c', n, outChannels, outHeight * outWidth).permute(0, 2, 1).dup('c')
                .reshape('c', n * outHeight * outWidth, outChannels);
    }

    @Override
    INDArray unfold(INDArray matrix, long n) {
        INDArray z = matrix.reshape('c', n, (long) outHeight * outWidth, outChannels).permute(0, 2, 1).dup('c');
        return oneDimensional ? z.reshape('c', n, outChannels, outWidth) : z.reshape('c', n, outChannels, outHeight,
                outWidth);
    }

    private long getFanIn() {
        return (long) inChannels * kh * kw;
    }
}
