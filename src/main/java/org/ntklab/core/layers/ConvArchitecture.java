package org.ntklab.core.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;

/**
 * A convolutional or residual network on images (C, H, W) or sequences (C, L), built as a
 * {@link Serial} stack (paper, Appendix H):
 * <pre>
 *   CNN:    [conv(channels_i, k, stride, padding) - sigma] for each i, pooling, dense(c), phi
 *   RESNET: conv(channels, k, stride, padding) - sigma, then blocks x blocks of
 *           a + alpha conv(sigma(conv(a))) (k x k, stride 1, same padding), pooling, dense(c), phi
 * </pre>
 * Every convolution and the dense layer use the parameterization (NTK: weights N(0, 1), forward
 * scale 1/sqrt(fan-in) with fan-in C_in k k, resp. the width of the pooled features), no biases.
 * Pooling is global average pooling (AVERAGE) or flattening (FLATTEN). The residual scale alpha
 * defaults to 1/sqrt(blocks).
 *
 * @param kind          CNN or RESNET
 * @param inputShape    (C, H, W) images or (C, L) sequences
 * @param channels      CNN: the channels of each conv layer; RESNET: one width for every block
 * @param residualScale alpha; null for the default 1/sqrt(blocks)
 */
public record ConvArchitecture(Kind kind, int[] inputShape, int[] channels, int kernelSize, int stride,
        Conv2d.Padding padding, int blocks, Double residualScale, Pooling pooling, Activation activation,
        OutputMap outputMap, int outputDim, Parameterization parameterization) {

    public enum Kind { CNN, RESNET }

    public enum Pooling { AVERAGE, FLATTEN }

    public ConvArchitecture {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(outputMap, "outputMap");
        Objects.requireNonNull(parameterization, "parameterization");
        inputShape = inputShape.clone();
        channels = channels.clone();
        if (inputShape.length < 2 || inputShape.length > 3) {
            throw new IllegalArgumentException("inputShape must be (C, H, W) or (C, L), got " + Arrays.toString(inputShape));
        }
        if (channels.length < 1) {
            throw new IllegalArgumentException("at least one channel count is required");
        }
        if (kind == Kind.RESNET && blocks < 1) {
            throw new IllegalArgumentException("a resnet needs at least one block");
        }
        if (!outputMap.isElementwise()) {
            throw new IllegalArgumentException("layered models support element-wise output maps, got " + outputMap);
        }
    }

    /** alpha: the given residual scale, or 1/sqrt(blocks). */
    public double alpha() {
        return residualScale != null ? residualScale : Residual.defaultScale(Math.max(1, blocks));
    }

    /** d = prod(inputShape). */
    public long inputSize() {
        long d = 1;
        for (int s : inputShape) {
            d *= s;
        }
        return d;
    }

    /** The stack, its last layer phi. */
    public Serial build() {
        long[] shape = Arrays.stream(inputShape).asLongStream().toArray();
        Serial.Builder b = Serial.from(shape);
        if (kind == Kind.CNN) {
            for (int ch : channels) {
                b.add(conv(b.shape(), ch, stride, padding)).add(new Pointwise(activation, b.shape()));
            }
        } else {
            int width = channels[0];
            b.add(conv(b.shape(), width, stride, padding)).add(new Pointwise(activation, b.shape()));
            for (int block = 0; block < blocks; block++) {
                Serial.Builder branch = Serial.from(b.shape());
                branch.add(conv(branch.shape(), width, 1, Conv2d.Padding.SAME))
                        .add(new Pointwise(activation, branch.shape()));
                branch.add(conv(branch.shape(), width, 1, Conv2d.Padding.SAME));
                b.add(new Residual(branch.build(), alpha()));
            }
        }
        b.add(pooling == Pooling.AVERAGE ? new GlobalAvgPool(b.shape()) : new Flatten(b.shape()));
        b.add(new Dense(b.shape()[0], outputDim, parameterization));
        b.add(new Pointwise(outputMap.elementwise(), b.shape()));
        return b.build();
    }

    private Conv2d conv(long[] in, int out, int s, Conv2d.Padding pad) {
        int c = Math.toIntExact(in[0]);
        return in.length == 3
                ? Conv2d.of(c, Math.toIntExact(in[1]), Math.toIntExact(in[2]), out, kernelSize, s, pad, parameterization)
                : Conv2d.oneDimensional(c, Math.toIntExact(in[1]), out, kernelSize, s, pad, parameterization);
    }

    /** Per-example sizes of every layer's output, for memory estimates: the activations a stack keeps. */
    public List<Long> activationSizes() {
        List<Long> sizes = new ArrayList<>();
        collect(build(), sizes);
        return sizes;
    }

    private static void collect(Serial serial, List<Long> sizes) {
        for (Layer layer : serial.layers()) {
            if (layer instanceof Residual r) {
                collect(r.branch(), sizes);
            }
            long s = 1;
            for (long d : layer.outputShape()) {
                s *= d;
            }
            sizes.add(s);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvArchitecture a && kind == a.kind && Arrays.equals(inputShape, a.inputShape)
                && Arrays.equals(channels, a.channels) && kernelSize == a.kernelSize && stride == a.stride
                && padding == a.padding && blocks == a.blocks && Objects.equals(residualScale, a.residualScale)
                && pooling == a.pooling && activation == a.activation && outputMap == a.outputMap
                && outputDim == a.outputDim && parameterization == a.parameterization;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, Arrays.hashCode(inputShape), Arrays.hashCode(channels), kernelSize, stride, padding,
                blocks, residualScale, pooling, activation, outputMap, outputDim, parameterization);
    }

    @Override
    public String toString() {
        return "ConvArchitecture[" + kind + ", input=" + Arrays.toString(inputShape) + ", channels="
                + Arrays.toString(channels) + ", k=" + kernelSize + ", stride=" + stride + ", " + padding + ", blocks="
                + blocks + ", alpha=" + alpha() + ", " + pooling + ", " + activation + ", " + outputMap + ", c="
                + outputDim + ", " + parameterization + "]";
    }
}
