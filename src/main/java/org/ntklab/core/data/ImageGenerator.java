package org.ntklab.core.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.rng.SeededRandom;

/**
 * Small deterministic synthetic images with a smooth target, for convolutional networks.
 *
 * <p>Image i (i = 0..n-1), channel ch, pixel (r, s) of an H x W grid is a sum of {@value #MODES}
 * plane waves with low integer frequencies, drawn from {@link #IMAGE_STREAM} in the order
 * (i, ch, mode) and within a mode fy, fx, a, phase:
 * <pre>
 *   v[ch, r, s] = sum_m a_m cos(2 pi (fy_m r / H + fx_m s / W) + phase_m)
 *   fy_m, fx_m uniform on {0, 1, 2} (nextInt(3)), a_m ~ N(0, 1), phase_m = 2 pi nextDouble()
 * </pre>
 * then normalised per image to mean 0 and mean square 1 over its C H W values (a constant image
 * stays 0). The data row x_i is the image flattened in (C, H, W) order, so d = C H W and
 * ||x_i|| = sqrt(d). Targets, with u_k (k = 0..c-1) unit vectors in R^d drawn from
 * {@link #DIRECTION_STREAM} as d Gaussians each, normalised:
 * <pre>y_ik = 0.5 + 0.5 sin(3 u_k . x_i / sqrt(d))</pre>
 * the SPHERE generator's target on the normalised image x_i / sqrt(d).
 */
public final class ImageGenerator {

    /** The plane waves per channel. */
    public static final int MODES = 4;
    /** The stream of the images. */
    public static final long IMAGE_STREAM = 1_000_011L;
    /** The stream of the target directions. */
    public static final long DIRECTION_STREAM = 1_000_012L;

    private ImageGenerator() {
    }

    /** n images (C, H, W) as rows of d = C H W values and targets (n, c), in {@code dtype}. */
    public static Dataset generate(int n, int channels, int height, int width, int outputs, long seed, DataType dtype) {
        if (n < 1 || channels < 1 || height < 1 || width < 1 || outputs < 1) {
            throw new IllegalArgumentException("n, channels, height, width and outputs must be >= 1");
        }
        int d = Math.multiplyExact(Math.multiplyExact(channels, height), width);
        double[] x = new double[Math.multiplyExact(n, d)];
        SeededRandom random = SeededRandom.stream(seed, IMAGE_STREAM);
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < channels; ch++) {
                for (int m = 0; m < MODES; m++) {
                    int fy = random.nextInt(3);
                    int fx = random.nextInt(3);
                    double a = random.nextGaussian();
                    double phase = 2 * Math.PI * random.nextDouble();
                    for (int r = 0; r < height; r++) {
                        for (int s = 0; s < width; s++) {
                            x[i * d + (ch * height + r) * width + s] += a * Math.cos(
                                    2 * Math.PI * ((double) fy * r / height + (double) fx * s / width) + phase);
                        }
                    }
                }
            }
            double mean = 0;
            for (int j = 0; j < d; j++) {
                mean += x[i * d + j];
            }
            mean /= d;
            double square = 0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] -= mean;
                square += x[i * d + j] * x[i * d + j];
            }
            double scale = square > 0 ? Math.sqrt(d / square) : 0.0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] *= scale;
            }
        }
        SeededRandom directions = SeededRandom.stream(seed, DIRECTION_STREAM);
        double[] u = new double[Math.multiplyExact(outputs, d)];
        for (int k = 0; k < outputs; k++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                u[k * d + j] = directions.nextGaussian();
                norm += u[k * d + j] * u[k * d + j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                u[k * d + j] /= norm;
            }
        }
        double[] y = new double[n * outputs];
        double root = Math.sqrt(d);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < outputs; k++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += u[k * d + j] * x[i * d + j];
                }
                y[i * outputs + k] = 0.5 + 0.5 * Math.sin(3.0 * dot / root);
            }
        }
        return new Dataset(Dataset.matrix(x, n, d, dtype), Dataset.matrix(y, n, outputs, dtype));
    }
}
