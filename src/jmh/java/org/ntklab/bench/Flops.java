package org.ntklab.bench;

import org.ntklab.core.nn.Architecture;
import org.ntklab.core.spectral.Lanczos;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.spectral.Reorthogonalization;

/**
 * The floating-point operations each benchmarked operation must do, counting a multiply-add as
 * 2 flops, as the engine performs them (general GEMMs, no symmetric shortcuts). Widths m_0 = d,
 * m_1..m_L hidden, m_{L+1} = c; "trainable l" means W_l is part of w; lowest = the lowest
 * trainable layer; p = sum over trainable l of m_l m_{l-1}.
 * <pre>
 *   forward (n inputs)   F(n)   = sum_l 2 n m_l m_{l-1}
 *   backward (gradient)  B(n)   = sum_{trainable l} 2 n m_l m_{l-1}          (dW_l = delta_l^T A_{l-1})
 *                              + sum_{l > lowest} 2 n m_l m_{l-1}           (delta_l W_l)
 *   GD step                     = F(n) + B(n) + 2 p                         (update)
 *   kernel (from a pass)        = sum_{trainable l} [2 (n c)^2 m_l + 2 n^2 m_{l-1}]   (D_l D_l^T, A A^T)
 *                              + sum_{l > lowest} 2 (n c) m_l m_{l-1}        (signal backprop D_l W_l)
 *   HVP (one input, n = 1)      = tangents: sum_{trainable l} 2 m_l m_{l-1} + sum_{l >= 2} 2 m_l m_{l-1}
 *                              + backward: sum_{trainable l} 2 m_l m_{l-1} (1 + [l >= 2])
 *                                          + sum_{l > lowest} 2 m_l m_{l-1} (1 + [trainable l])
 *                                (about 5 passes of 2 flops over p for a wide shallow net)
 *   forward + backward (n = 1)  = F(1) + B(1)
 *   Lanczos, k steps            = (k + 2) HVP + 10 k p (dots, axpys, norms)
 *                              + FULL reorthogonalisation only: sum_{j=1..k} 4 j p  (two gemvs)
 *                                (the k + 2: two products for the measured Ritz residuals)
 *   tanh                        : n m elements, reported as ns per element, not as flops
 *   GEMM                        = 2 s^3 for s x s
 * </pre>
 */
public final class Flops {

    private Flops() {
    }

    private static double layer(Architecture a, int l) {
        return 2.0 * a.width(l) * a.width(l - 1);
    }

    private static int lowest(Architecture a) {
        for (int l = 1; l <= a.layerCount(); l++) {
            if (a.isTrainable(l)) {
                return l;
            }
        }
        throw new IllegalStateException();
    }

    public static double forward(Architecture a, int n) {
        double f = 0;
        for (int l = 1; l <= a.layerCount(); l++) {
            f += n * layer(a, l);
        }
        return f;
    }

    public static double backward(Architecture a, int n) {
        double f = 0;
        int lowest = lowest(a);
        for (int l = lowest; l <= a.layerCount(); l++) {
            if (a.isTrainable(l)) {
                f += n * layer(a, l);
            }
            if (l > lowest) {
                f += n * layer(a, l);
            }
        }
        return f;
    }

    public static double gradientStep(Architecture a, int n) {
        return forward(a, n) + backward(a, n) + 2.0 * a.parameterCount();
    }

    public static double kernel(Architecture a, int n) {
        double nc = (double) n * a.outputDim();
        double f = 0;
        int lowest = lowest(a);
        for (int l = lowest; l <= a.layerCount(); l++) {
            if (a.isTrainable(l)) {
                f += 2.0 * nc * nc * a.width(l) + 2.0 * n * n * a.width(l - 1);
            }
            if (l > lowest) {
                f += nc * layer(a, l);
            }
        }
        return f;
    }

    public static double hvp(Architecture a) {
        double f = 0;
        int lowest = lowest(a);
        for (int l = 1; l <= a.layerCount(); l++) {
            boolean trainable = a.isTrainable(l);
            f += layer(a, l) * ((trainable ? 1 : 0) + (l >= 2 ? 1 : 0));
            if (l >= lowest) {
                f += trainable ? layer(a, l) * (l >= 2 ? 2 : 1) : 0;
                f += l > lowest ? layer(a, l) * (trainable ? 2 : 1) : 0;
            }
        }
        return f;
    }

    public static double forwardBackwardOne(Architecture a) {
        return forward(a, 1) + backward(a, 1);
    }

    public static double lanczos(Architecture a, LanczosOptions options, org.nd4j.linalg.api.buffer.DataType dtype) {
        long p = a.parameterCount();
        int k = options.maxIterations();
        double f = (k + 2) * hvp(a) + 10.0 * k * p;
        if (Lanczos.reorthogonalization(p, dtype, options) == Reorthogonalization.FULL) {
            f += 4.0 * p * k * (k + 1) / 2.0;
        }
        return f;
    }

    public static double gemm(int size) {
        return 2.0 * size * size * size;
    }
}
