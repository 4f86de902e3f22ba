package org.ntklab.core.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.array.Blas;
import org.ntklab.core.array.Elementwise;
import org.ntklab.core.array.Flat;
import org.ntklab.core.autodiff.ForwardPass;
import org.ntklab.core.nn.Network;
import org.ntklab.core.nn.OutputMap;

/**
 * The empirical tangent kernel K(w) = J J^T (SCIENCE.md, "Tangent kernel") by the structured
 * per-layer formula, never materialising the Jacobian J (shape (n c, p)).
 *
 * <p>Row r = i c + k of J restricted to W_l is s_l delta_l^{(i,k)} (a_{l-1,i})^T, where
 * delta_l^{(i,k)} (length m_l) is the reverse-pass signal of output f_k(x_i) at z_l. Stacking the
 * signals as D_l (n c, m_l):
 * <pre>
 *   K = sum over trainable l of  s_l^2 (D_l D_l^T) o (A_{l-1} A_{l-1}^T (x) 1_c 1_c^T)
 *   D_{L+1}[(i,k), :] = row k of J_phi(g_i)   (phi'(g_ik) e_k element-wise; s_ik (e_k - s_i) softmax)
 *   D_{l-1} = (s_l D_l W_l) o (sigma'(Z_{l-1}) repeated c times per input)
 * </pre>
 * The cost is dominated by the Gram products: sum_l (n c)^2 m_l + n^2 m_{l-1} multiply-adds, each
 * computed as a symmetric rank-k update ({@link Blas#gram}: half of them are mirrored, not computed).
 */
public final class TangentKernel {

    private TangentKernel() {
    }

    /** The full kernel K(w), shape (n c, n c), of the network at its current weights on inputs x (n, d). */
    public static INDArray full(Network network, INDArray x) {
        return full(ForwardPass.run(network, x));
    }

    /**
     * The full kernel at the weights and inputs of a forward pass. Returns a new array; the
     * (n c, m_l) signals live in the pass's {@link ForwardPass#scratch} buffers, so repeated
     * kernels on a training loop's recycled pass allocate nothing large.
     */
    public static INDArray full(ForwardPass pass) {
        Network net = pass.network();
        int n = Math.toIntExact(pass.batchSize());
        int c = net.architecture().outputDim();
        int nc = n * c;
        INDArray kernel = Nd4j.zeros(net.dataType(), nc, nc);
        INDArray term = Nd4j.create(net.dataType(), nc, nc);
        INDArray gram = Nd4j.create(net.dataType(), n, n);
        INDArray signals = outputSignals(pass);
        int lowest = net.lowestTrainableLayer();
        for (int l = net.layerCount(); l >= lowest; l--) {
            double s = net.scale(l);
            if (net.architecture().isTrainable(l)) {
                Blas.gram(s * s, signals, term);
                Blas.gram(1.0, pass.activation(l - 1), gram);
                accumulateHadamard(kernel, term, gram, c);
            }
            if (l > lowest) {
                INDArray w = net.weight(l);
                INDArray below = pass.scratch(l, nc); // reused by later kernels at the same pass's arrays
                if (c == 1 && signals.columns() == 1) { // rank one, fused with sigma' (no row repetition)
                    Elementwise.outerHadamard(below, s, signals, w, pass.firstDerivative(l - 1));
                } else {
                    Blas.gemm(false, false, s, signals, w, 0.0, below);
                    Elementwise.multiplyRowsRepeated(below, pass.firstDerivative(l - 1), c);
                }
                signals = below;
            }
        }
        return kernel;
    }

    /**
     * The output-traced kernel K_tr[i, j] = sum_k K[i c + k, j c + k], shape (n, n), from a full
     * kernel of shape (n c, n c). For c = 1 it is a copy of the full kernel.
     */
    public static INDArray traced(INDArray full, int c) {
        int nc = Math.toIntExact(full.rows());
        if (nc % c != 0 || full.columns() != nc) {
            throw new IllegalArgumentException("expected a square kernel whose side is a multiple of " + c);
        }
        int n = nc / c;
        INDArray out = Nd4j.zeros(full.dataType(), n, n);
        Flat src = Flat.of(full.dup('c'));
        Flat dst = Flat.of(out);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int k = 0; k < c; k++) {
                    sum += src.get((i * c + k) * nc + j * c + k);
                }
                dst.set(i * n + j, sum);
            }
        }
        return out;
    }

    /** The signals D_{L+1} (n c, c): row (i, k) is row k of the output map's Jacobian at g_i. */
    static INDArray outputSignals(ForwardPass pass) {
        int n = Math.toIntExact(pass.batchSize());
        OutputMap phi = pass.network().architecture().outputMap();
        int c = pass.network().architecture().outputDim();
        INDArray signals = Nd4j.zeros(pass.network().dataType(), (long) n * c, c);
        Flat out = Flat.of(signals);
        if (phi.isElementwise()) {
            Flat d = phi.isLinear() ? null
                    : Flat.of(pass.outputVjp(Nd4j.ones(pass.network().dataType(), n, c)));
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < c; k++) {
                    double value = d == null ? 1.0 : d.get(i * c + k);
                    out.set((i * c + k) * c + k, value);
                }
            }
            return signals;
        }
        Flat s = Flat.of(pass.output().dup('c'));
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                double sk = s.get(i * c + k);
                for (int j = 0; j < c; j++) {
                    double value = -sk * s.get(i * c + j);
                    if (j == k) {
                        value += sk;
                    }
                    out.set((i * c + k) * c + j, value);
                }
            }
        }
        return signals;
    }

    /** kernel[r, t] += term[r, t] * gram[r / c, t / c]. Modifies kernel only. */
    private static void accumulateHadamard(INDArray kernel, INDArray term, INDArray gram, int c) {
        Elementwise.multiplyAddExpanded(kernel, term, gram, c);
    }
}
