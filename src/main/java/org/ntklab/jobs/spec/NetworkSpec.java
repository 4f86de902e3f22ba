package org.ntklab.jobs.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;

/**
 * The {@code network} object: a fully connected network (SCIENCE.md, "Networks"). Every field
 * may be null in a request; {@link #withDefaults(int)} fills them.
 *
 * @param hiddenWidths      m_1..m_L; default [256]
 * @param activation        sigma of every hidden layer; default tanh
 * @param outputMap         phi; default linear
 * @param outputDim         c; default the data's (y columns, 1 for sphere and line, 2 for gaussian-mixture)
 * @param trainOutputLayer  whether W_{L+1} is trained; default true
 * @param trainHiddenLayers whether W_1..W_L are trained; default true
 * @param parameterization  ntk or standard; default ntk
 * @param outputInit        distribution of W_{L+1}; default gaussian
 * @param architecture      mlp (absent: the default), cnn or resnet ({@link ConvNetworks}); an explicit
 *                          mlp is stored as absent
 * @param channels          cnn: C_out of each conv layer; resnet: one width for every block; default [32]
 * @param kernelSize        k of every k x k convolution; default 3
 * @param stride            of the cnn's convolutions and the resnet's stem; default 1
 * @param padding           valid or same (zero padding (k-1)/2, odd k); default same
 * @param blocks            resnet: the number of residual blocks; default 2
 * @param pooling           average (global average pooling) or flatten; default average
 * @param residualScale     resnet: alpha in a + alpha branch(a); default 1/sqrt(blocks)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkSpec(List<Integer> hiddenWidths, Activation activation, OutputMap outputMap, Integer outputDim,
        Boolean trainOutputLayer, Boolean trainHiddenLayers, Parameterization parameterization, OutputInit outputInit,
        ArchitectureKind architecture, List<Integer> channels, Integer kernelSize, Integer stride, ConvNetworks.Padding padding,
        Integer blocks, ConvNetworks.Pooling pooling, Double residualScale) {

    /** The default hidden widths, [256]. */
    public static final List<Integer> DEFAULT_HIDDEN_WIDTHS = List.of(256);

    public NetworkSpec {
        hiddenWidths = hiddenWidths == null ? null : Collections.unmodifiableList(new ArrayList<>(hiddenWidths));
        channels = channels == null ? null : Collections.unmodifiableList(new ArrayList<>(channels));
        if (architecture == ArchitectureKind.MLP) {
            architecture = null;
        }
    }

    /** A fully connected network's fields. */
    public NetworkSpec(List<Integer> hiddenWidths, Activation activation, OutputMap outputMap, Integer outputDim,
            Boolean trainOutputLayer, Boolean trainHiddenLayers, Parameterization parameterization,
            OutputInit outputInit) {
        this(hiddenWidths, activation, outputMap, outputDim, trainOutputLayer, trainHiddenLayers, parameterization,
                outputInit, null, null, null, null, null, null, null, null);
    }

    /** Whether this is a convolutional or residual network. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isConvolutional() {
        return architecture != null && architecture != ArchitectureKind.MLP;
    }

    /** The widths a sweep's width axis reads: the hidden widths, or the channels of a cnn / resnet. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public List<Integer> widths() {
        return isConvolutional() ? channels : hiddenWidths;
    }

    /** A copy with every null field set to its default; {@code defaultOutputDim} is the data's c. */
    public NetworkSpec withDefaults(int defaultOutputDim) {
        if (isConvolutional()) {
            return ConvNetworks.withDefaults(this, defaultOutputDim);
        }
        return new NetworkSpec(hiddenWidths == null ? DEFAULT_HIDDEN_WIDTHS : hiddenWidths,
                activation == null ? Activation.TANH : activation,
                outputMap == null ? OutputMap.LINEAR : outputMap,
                outputDim == null ? defaultOutputDim : outputDim,
                trainOutputLayer == null || trainOutputLayer,
                trainHiddenLayers == null || trainHiddenLayers,
                parameterization == null ? Parameterization.NTK : parameterization,
                outputInit == null ? OutputInit.GAUSSIAN : outputInit,
                null, channels, kernelSize, stride, padding, blocks, pooling, residualScale);
    }

    /**
     * Adds the violations of a defaulted network on its own: widths, depth, c, softmax needs c &gt;= 2,
     * some layer trainable. Rules that involve the data are checked by {@link ExperimentSpecification}.
     */
    void validate(Limits limits, List<Violation> violations) {
        if (isConvolutional()) {
            ConvNetworks.validate(this, limits, violations);
            return;
        }
        ConvNetworks.rejectConvolutionFields(this, violations);
        if (hiddenWidths.isEmpty()) {
            violations.add(new Violation("network.hiddenWidths", "needs at least one hidden layer"));
        } else if (hiddenWidths.size() > limits.maxDepth()) {
            violations.add(new Violation("network.hiddenWidths", "at most " + limits.maxDepth()
                    + " hidden layers are allowed, got " + hiddenWidths.size(), Limits.DEPTH));
        }
        for (int l = 0; l < hiddenWidths.size(); l++) {
            Integer m = hiddenWidths.get(l);
            String field = "network.hiddenWidths[" + l + "]";
            if (m == null) {
                violations.add(new Violation(field, "must not be null"));
            } else if (m < 1 || m > limits.maxWidth()) {
                violations.add(new Violation(field, "must be in [1, " + limits.maxWidth() + "], got " + m,
                        m < 1 ? null : Limits.WIDTH));
            }
        }
        if (outputDim < 1 || outputDim > limits.maxOutputs()) {
            violations.add(new Violation("network.outputDim", "must be in [1, " + limits.maxOutputs() + "], got "
                    + outputDim, outputDim < 1 ? null : Limits.OUTPUTS));
        } else if (outputMap == OutputMap.SOFTMAX && outputDim < 2) {
            violations.add(new Violation("network.outputDim", "a softmax output needs outputDim >= 2, got "
                    + outputDim));
        }
        if (!trainOutputLayer && !trainHiddenLayers) {
            violations.add(new Violation("network", "at least one layer must be trainable: trainHiddenLayers and "
                    + "trainOutputLayer are both false"));
        }
    }

    /**
     * The weight count of a defaulted network with valid widths on d inputs: the trainable
     * parameters p, or with {@code includeFrozen} every weight. Saturates at {@link Long#MAX_VALUE}.
     */
    long weightCount(int inputDim, boolean includeFrozen) {
        long count = 0;
        long below = inputDim;
        for (int l = 0; l <= hiddenWidths.size(); l++) {
            long width = l < hiddenWidths.size() ? hiddenWidths.get(l) : outputDim;
            boolean trainable = l < hiddenWidths.size() ? trainHiddenLayers : trainOutputLayer;
            if (trainable || includeFrozen) {
                long sum = count + width * below;
                count = sum < 0 ? Long.MAX_VALUE : sum;
            }
            below = width;
        }
        return count;
    }

    /** The core architecture of a defaulted, valid network on d = {@code inputDim} inputs. */
    public Architecture toCore(int inputDim) {
        int[] widths = hiddenWidths.stream().mapToInt(Integer::intValue).toArray();
        boolean[] trainable = new boolean[widths.length + 1];
        Arrays.fill(trainable, trainHiddenLayers);
        trainable[widths.length] = trainOutputLayer;
        return new Architecture(inputDim, widths, outputDim, activation.toCore(), outputMap.toCore(),
                parameterization.toCore(), trainable, outputInit.toCore());
    }

    /** mlp, cnn or resnet. */
    public enum ArchitectureKind {
        MLP, CNN, RESNET;

        @JsonCreator
        public static ArchitectureKind parse(String text) {
            return KebabCase.parse(ArchitectureKind.class, "architecture", text);
        }

        @JsonValue
        @Override
        public String toString() {
            return KebabCase.of(this);
        }
    }

    /** The hidden activation sigma. */
    public enum Activation {
        IDENTITY, TANH, SIGMOID, SWISH, SOFTPLUS, GELU, ERF, RELU;

        @JsonCreator
        public static Activation parse(String text) {
            return KebabCase.parse(Activation.class, "activation", text);
        }

        @JsonValue
        @Override
        public String toString() {
            return KebabCase.of(this);
        }

        public org.ntklab.core.nn.Activation toCore() {
            return org.ntklab.core.nn.Activation.valueOf(name());
        }
    }

    /** The output map phi. */
    public enum OutputMap {
        LINEAR, SWISH, SIGMOID, TANH, SOFTMAX;

        @JsonCreator
        public static OutputMap parse(String text) {
            return KebabCase.parse(OutputMap.class, "output map", text);
        }

        @JsonValue
        @Override
        public String toString() {
            return KebabCase.of(this);
        }

        public org.ntklab.core.nn.OutputMap toCore() {
            return org.ntklab.core.nn.OutputMap.valueOf(name());
        }
    }

    /** ntk (z = W a / sqrt(m), W ~ N(0, 1)) or standard (z = W a, W ~ N(0, 1/m)). */
    public enum Parameterization {
        NTK, STANDARD;

        @JsonCreator
        public static Parameterization parse(String text) {
            return KebabCase.parse(Parameterization.class, "parameterization", text);
        }

        @JsonValue
        @Override
        public String toString() {
            return KebabCase.of(this);
        }

        public org.ntklab.core.nn.Parameterization toCore() {
            return org.ntklab.core.nn.Parameterization.valueOf(name());
        }
    }

    /** The distribution of the output layer W_{L+1} at initialisation. */
    public enum OutputInit {
        GAUSSIAN, RADEMACHER;

        @JsonCreator
        public static OutputInit parse(String text) {
            return KebabCase.parse(OutputInit.class, "output init", text);
        }

        @JsonValue
        @Override
        public String toString() {
            return KebabCase.of(this);
        }

        public Init toCore() {
            return Init.valueOf(name());
        }
    }
}
