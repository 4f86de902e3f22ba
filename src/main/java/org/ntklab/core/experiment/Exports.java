package org.ntklab.core.experiment;

import java.io.IOException;
import java.io.OutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.npy.NpyArray;
import org.ntklab.core.data.npy.NpzWriter;
import org.ntklab.core.model.Model;
import org.ntklab.core.nn.Network;

/**
 * NumPy archives from which every reported number can be recomputed independently, written
 * bit-exactly in the experiment's dtype.
 */
public final class Exports {

    private Exports() {
    }

    /**
     * {@code initial.npz}: X (n, d), Y (n, c) and W1..W{L+1} at initialisation, every layer
     * including frozen ones, W_l of shape (m_l, m_{l-1}) as in SCIENCE.md. Closes {@code out}.
     */
    public static void writeInitial(OutputStream out, Network initial, Dataset data) throws IOException {
        try (NpzWriter npz = new NpzWriter(out)) {
            npz.add("X", NpyArray.of(data.x()));
            npz.add("Y", NpyArray.of(data.y()));
            for (int l = 1; l <= initial.layerCount(); l++) {
                npz.add("W" + l, NpyArray.of(initial.weight(l)));
            }
        }
    }

    /**
     * {@code initial.npz} of any model: X (n, d) (or (n, C, H, W) / (n, C, L) when
     * {@code inputShape} is given: the data rows reshaped row-major), Y (n, c) and the weights at
     * initialisation as the model writes them ({@link Model#writeWeights}: for a layered model
     * W1, W2, ... in layer order, convolutions as (C_out, C_in, k, k)). Closes {@code out}.
     *
     * @param inputShape the per-example shape of X, or null for rows
     */
    public static void writeInitial(OutputStream out, Model initial, Dataset data, long[] inputShape)
            throws IOException {
        try (NpzWriter npz = new NpzWriter(out)) {
            INDArray x = data.x();
            if (inputShape != null) {
                long[] shape = new long[inputShape.length + 1];
                shape[0] = x.rows();
                System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
                x = x.dup('c').reshape('c', shape);
            }
            npz.add("X", NpyArray.of(x));
            npz.add("Y", NpyArray.of(data.y()));
            initial.writeWeights(npz);
        }
    }

    /** {@code kernels.npz}: K0 = K(w_0) and K = the last recorded kernel, both full (n c, n c). Closes {@code out}. */
    public static void writeKernels(OutputStream out, INDArray kernelInit, INDArray kernelLast) throws IOException {
        writeKernels(out, kernelInit, kernelLast, null);
    }

    /**
     * {@code kernels.npz} with {@code Kinf} = Theta_inf (n, n) beside K0 and K when it is not null
     * (the full limit is Kinf (x) I_c). Closes {@code out}.
     */
    public static void writeKernels(OutputStream out, INDArray kernelInit, INDArray kernelLast,
            INDArray kernelInfinite) throws IOException {
        try (NpzWriter npz = new NpzWriter(out)) {
            npz.add("K0", NpyArray.of(kernelInit));
            npz.add("K", NpyArray.of(kernelLast));
            if (kernelInfinite != null) {
                npz.add("Kinf", NpyArray.of(kernelInfinite));
            }
        }
    }
}
