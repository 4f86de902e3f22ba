package org.ntklab.core.nn;

import java.util.Arrays;
import java.util.Objects;

/**
 * A fully connected network's shape and functions (SCIENCE.md, "Networks"):
 * widths m_0 = d (input), m_1..m_L (hidden), m_{L+1} = c (outputs), so layer l (1-based, as in
 * the paper) has weights W_l of shape (m_l, m_{l-1}).
 *
 * @param inputDim         d = m_0 >= 1
 * @param hiddenWidths     m_1..m_L, L >= 1, each >= 1 (a bottleneck is simply a narrow layer)
 * @param outputDim        c >= 1 (SOFTMAX needs c >= 2)
 * @param activation       sigma for every hidden layer
 * @param outputMap        phi
 * @param parameterization NTK or STANDARD
 * @param trainable        per layer l = 1..L+1 (index l-1): whether W_l is part of w
 * @param outputInit       distribution of W_{L+1} at initialisation (hidden layers are GAUSSIAN)
 */
public record Architecture(
        int inputDim,
        int[] hiddenWidths,
        int outputDim,
        Activation activation,
        OutputMap outputMap,
        Parameterization parameterization,
        boolean[] trainable,
        Init outputInit) {

    public Architecture {
        Objects.requireNonNull(hiddenWidths, "hiddenWidths");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(outputMap, "outputMap");
        Objects.requireNonNull(parameterization, "parameterization");
        Objects.requireNonNull(trainable, "trainable");
        Objects.requireNonNull(outputInit, "outputInit");
        if (inputDim < 1) {
            throw new IllegalArgumentException("inputDim must be >= 1, got " + inputDim);
        }
        if (hiddenWidths.length < 1) {
            throw new IllegalArgumentException("at least one hidden layer is required");
        }
        for (int w : hiddenWidths) {
            if (w < 1) {
                throw new IllegalArgumentException("hidden widths must be >= 1, got " + Arrays.toString(hiddenWidths));
            }
        }
        if (outputDim < 1) {
            throw new IllegalArgumentException("outputDim must be >= 1, got " + outputDim);
        }
        if (outputMap == OutputMap.SOFTMAX && outputDim < 2) {
            throw new IllegalArgumentException("a softmax output needs outputDim >= 2");
        }
        if (trainable.length != hiddenWidths.length + 1) {
            throw new IllegalArgumentException("trainable needs one flag per layer ("
                    + (hiddenWidths.length + 1) + "), got " + trainable.length);
        }
        hiddenWidths = hiddenWidths.clone();
        trainable = trainable.clone();
        boolean any = false;
        for (boolean t : trainable) {
            any |= t;
        }
        if (!any) {
            throw new IllegalArgumentException("at least one layer must be trainable");
        }
    }

    /** A network with every hidden layer trainable and the output layer trainable or frozen. */
    public static Architecture of(int inputDim, int[] hiddenWidths, int outputDim, Activation activation,
            OutputMap outputMap, Parameterization parameterization, boolean trainOutputLayer, Init outputInit) {
        boolean[] trainable = new boolean[hiddenWidths.length + 1];
        Arrays.fill(trainable, true);
        trainable[hiddenWidths.length] = trainOutputLayer;
        return new Architecture(inputDim, hiddenWidths, outputDim, activation, outputMap, parameterization,
                trainable, outputInit);
    }

    /** L, the number of hidden layers. */
    public int depth() {
        return hiddenWidths.length;
    }

    /** The number of weight matrices, L + 1. */
    public int layerCount() {
        return hiddenWidths.length + 1;
    }

    /** m_j for j = 0..L+1: m_0 = d, m_{L+1} = c. */
    public int width(int j) {
        if (j == 0) {
            return inputDim;
        }
        if (j == hiddenWidths.length + 1) {
            return outputDim;
        }
        return hiddenWidths[j - 1];
    }

    @Override
    public int[] hiddenWidths() {
        return hiddenWidths.clone();
    }

    @Override
    public boolean[] trainable() {
        return trainable.clone();
    }

    /** Whether W_l (l = 1..L+1) is trainable. */
    public boolean isTrainable(int l) {
        return trainable[l - 1];
    }

    /** The trainable parameter count p = sum over trainable l of m_l m_{l-1}. */
    public long parameterCount() {
        long p = 0;
        for (int l = 1; l <= layerCount(); l++) {
            if (isTrainable(l)) {
                p += (long) width(l) * width(l - 1);
            }
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture a && inputDim == a.inputDim && outputDim == a.outputDim
                && Arrays.equals(hiddenWidths, a.hiddenWidths) && activation == a.activation
                && outputMap == a.outputMap && parameterization == a.parameterization
                && Arrays.equals(trainable, a.trainable) && outputInit == a.outputInit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputDim, Arrays.hashCode(hiddenWidths), outputDim, activation, outputMap,
                parameterization, Arrays.hashCode(trainable), outputInit);
    }

    @Override
    public String toString() {
        return "Architecture[d=" + inputDim + ", hidden=" + Arrays.toString(hiddenWidths) + ", c=" + outputDim
                + ", " + activation + ", " + outputMap + ", " + parameterization + ", trainable="
                + Arrays.toString(trainable) + ", outputInit=" + outputInit + "]";
    }
}
