package org.ntklab.jobs.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import org.ntklab.core.layers.Conv2d;
import org.ntklab.core.layers.ConvArchitecture;

/**
 * The {@code network} object's convolutional and residual forms ({@code "architecture": "cnn"} or
 * {@code "resnet"}, SCIENCE.md's networks with conv layers, paper Appendix H): defaults, the rules
 * of its own fields, and the core {@link ConvArchitecture} on an image shape.
 *
 * <pre>
 *   cnn:    [conv(channels_i, k, stride, padding) - sigma]_i, pooling, dense(c), phi
 *   resnet: conv(channels, k, stride, padding) - sigma, blocks x (a + alpha conv(sigma(conv(a)))),
 *           pooling, dense(c), phi
 * </pre>
 */
public final class ConvNetworks {

    /** The default channels, [32]. */
    static final List<Integer> DEFAULT_CHANNELS = List.of(32);
    /** The default kernel size. */
    static final int DEFAULT_KERNEL_SIZE = 3;
    /** The default number of residual blocks. */
    static final int DEFAULT_BLOCKS = 2;
    /** The largest kernel size and stride accepted. */
    static final int MAX_KERNEL_SIZE = 15;

    private ConvNetworks() {
    }

    static NetworkSpec withDefaults(NetworkSpec n, int defaultOutputDim) {
        boolean resnet = n.architecture() == NetworkSpec.ArchitectureKind.RESNET;
        Integer blocks = n.blocks();
        if (resnet && blocks == null) {
            blocks = DEFAULT_BLOCKS;
        }
        Double alpha = n.residualScale();
        if (resnet && alpha == null && blocks != null && blocks >= 1) {
            alpha = 1.0 / Math.sqrt(blocks);
        }
        return new NetworkSpec(n.hiddenWidths(),
                n.activation() == null ? NetworkSpec.Activation.TANH : n.activation(),
                n.outputMap() == null ? NetworkSpec.OutputMap.LINEAR : n.outputMap(),
                n.outputDim() == null ? defaultOutputDim : n.outputDim(),
                n.trainOutputLayer() == null || n.trainOutputLayer(),
                n.trainHiddenLayers() == null || n.trainHiddenLayers(),
                n.parameterization() == null ? NetworkSpec.Parameterization.NTK : n.parameterization(),
                n.outputInit() == null ? NetworkSpec.OutputInit.GAUSSIAN : n.outputInit(),
                n.architecture(), n.channels() == null ? DEFAULT_CHANNELS : n.channels(),
                n.kernelSize() == null ? DEFAULT_KERNEL_SIZE : n.kernelSize(), n.stride() == null ? 1 : n.stride(),
                n.padding() == null ? Padding.SAME : n.padding(), blocks,
                n.pooling() == null ? Pooling.AVERAGE : n.pooling(), alpha);
    }

    /** A fully connected network may not carry the convolutional fields. */
    static void rejectConvolutionFields(NetworkSpec n, List<Violation> violations) {
        String only = "only for architecture cnn or resnet";
        if (n.channels() != null) {
            violations.add(new Violation("network.channels", only));
        }
        if (n.kernelSize() != null) {
            violations.add(new Violation("network.kernelSize", only));
        }
        if (n.stride() != null) {
            violations.add(new Violation("network.stride", only));
        }
        if (n.padding() != null) {
            violations.add(new Violation("network.padding", only));
        }
        if (n.blocks() != null) {
            violations.add(new Violation("network.blocks", only.replace("cnn or ", "")));
        }
        if (n.pooling() != null) {
            violations.add(new Violation("network.pooling", only));
        }
        if (n.residualScale() != null) {
            violations.add(new Violation("network.residualScale", only.replace("cnn or ", "")));
        }
    }

    /** The rules of a defaulted cnn / resnet on its own (the image shape is checked with the data). */
    static void validate(NetworkSpec n, Limits limits, List<Violation> violations) {
        boolean resnet = n.architecture() == NetworkSpec.ArchitectureKind.RESNET;
        if (n.hiddenWidths() != null) {
            violations.add(new Violation("network.hiddenWidths", "only for architecture mlp: a " + n.architecture()
                    + " has channels"));
        }
        List<Integer> channels = n.channels();
        if (channels.isEmpty()) {
            violations.add(new Violation("network.channels", "needs at least one channel count"));
        } else if (channels.size() > limits.maxDepth()) {
            violations.add(new Violation("network.channels", "at most " + limits.maxDepth() + " conv layers are allowed, got "
                    + channels.size()));
        }
        for (int l = 0; l < channels.size(); l++) {
            Integer c = channels.get(l);
            String field = "network.channels[" + l + "]";
            if (c == null) {
                violations.add(new Violation(field, "must not be null"));
            } else if (c < 1 || c > limits.maxWidth()) {
                violations.add(new Violation(field, "must be in [1, " + limits.maxWidth() + "], got " + c));
            }
        }
        if (resnet && channels.size() > 1 && channels.stream().distinct().count() > 1) {
            violations.add(new Violation("network.channels", "a resnet keeps one width through its blocks: give one "
                    + "channel count, got " + channels));
        }
        if (n.kernelSize() < 1 || n.kernelSize() > MAX_KERNEL_SIZE) {
            violations.add(new Violation("network.kernelSize", "must be in [1, " + MAX_KERNEL_SIZE + "], got "
                    + n.kernelSize()));
        } else if ((n.padding() == Padding.SAME || resnet) && n.kernelSize() % 2 == 0) {
            violations.add(new Violation("network.kernelSize", (resnet ? "a resnet's blocks use same padding, which"
                    : "same padding") + " needs an odd kernel size, got " + n.kernelSize()));
        }
        if (n.stride() < 1 || n.stride() > MAX_KERNEL_SIZE) {
            violations.add(new Violation("network.stride", "must be in [1, " + MAX_KERNEL_SIZE + "], got " + n.stride()));
        }
        if (resnet) {
            if (n.blocks() < 1 || n.blocks() > limits.maxDepth()) {
                violations.add(new Violation("network.blocks", "must be in [1, " + limits.maxDepth() + "], got "
                        + n.blocks()));
            }
            if (n.residualScale() != null && !Double.isFinite(n.residualScale())) {
                violations.add(new Violation("network.residualScale", "must be finite, got " + n.residualScale()));
            }
        } else {
            if (n.blocks() != null) {
                violations.add(new Violation("network.blocks", "only for architecture resnet"));
            }
            if (n.residualScale() != null) {
                violations.add(new Violation("network.residualScale", "only for architecture resnet"));
            }
        }
        if (n.outputDim() < 1 || n.outputDim() > limits.maxOutputs()) {
            violations.add(new Violation("network.outputDim", "must be in [1, " + limits.maxOutputs() + "], got "
                    + n.outputDim()));
        }
        if (n.outputMap() == NetworkSpec.OutputMap.SOFTMAX) {
            violations.add(new Violation("network.outputMap", "a " + n.architecture() + " supports the element-wise "
                    + "output maps linear, swish, sigmoid and tanh, got softmax"));
        }
        if (!n.trainOutputLayer() || !n.trainHiddenLayers()) {
            violations.add(new Violation("network", "every layer of a " + n.architecture() + " is trained: "
                    + "trainHiddenLayers and trainOutputLayer must be true"));
        }
        if (n.outputInit() != NetworkSpec.OutputInit.GAUSSIAN) {
            violations.add(new Violation("network.outputInit", "a " + n.architecture() + " draws its output layer "
                    + "gaussian, got " + n.outputInit()));
        }
    }

    /**
     * The core architecture on images of {@code imageShape} (C, H, W) of a defaulted, valid network,
     * or null with a violation on {@code network.kernelSize} when a convolution does not fit.
     */
    static ConvArchitecture toCore(NetworkSpec n, int[] imageShape, List<Violation> violations) {
        ConvArchitecture a = new ConvArchitecture(n.architecture() == NetworkSpec.ArchitectureKind.RESNET
                ? ConvArchitecture.Kind.RESNET : ConvArchitecture.Kind.CNN, imageShape,
                n.channels().stream().mapToInt(Integer::intValue).toArray(), n.kernelSize(), n.stride(),
                n.padding().toCore(), n.blocks() == null ? 0 : n.blocks().intValue(), n.residualScale(), n.pooling().toCore(),
                n.activation().toCore(), n.outputMap().toCore(), n.outputDim(), n.parameterization().toCore());
        try {
            a.build();
            return a;
        } catch (IllegalArgumentException e) {
            violations.add(new Violation("network.kernelSize", "the convolutions do not fit the "
                    + java.util.Arrays.toString(imageShape) + " images: " + e.getMessage()));
            return null;
        }
    }

    /** Zero padding of the convolutions. */
    public enum Padding {
        VALID, SAME;

        @JsonCreator
        public static Padding parse(String text) {
            return KebabCase.parse(Padding.class, "padding", text);
        }

        @JsonValue
        @Override
        public String toString() {
            return KebabCase.of(this);
        }

        Conv2d.Padding toCore() {
            return Conv2d.Padding.valueOf(name());
        }
    }

    /** How the last conv layer's maps become the dense layer's input. */
    public enum Pooling {
        AVERAGE, FLATTEN;

        @JsonCreator
        public static Pooling parse(String text) {
            return KebabCase.parse(Pooling.class, "pooling", text);
        }

        @JsonValue
        @Override
        public String toString() {
            return KebabCase.of(this);
        }

        ConvArchitecture.Pooling toCore() {
            return ConvArchitecture.Pooling.valueOf(name());
        }
    }
}
