package org.ntklab.jobs.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.experiment.ExperimentSpec;
import org.ntklab.core.experiment.MeasurementSpec;
import org.ntklab.core.experiment.MemoryEstimate;
import org.ntklab.core.model.LayeredSpec;
import org.ntklab.core.model.MlpSpec;
import org.ntklab.core.model.ModelSpec;
import org.ntklab.core.nn.Architecture;

/**
 * The body of {@code POST /api/v1/experiments}: one experiment as a client states it. Every field
 * is optional; {@link #withDefaults()} fills the absent ones and is what the service stores and
 * echoes, {@link #validate(Limits)} lists what is wrong field by field, {@link #memoryEstimate()}
 * sizes it and {@link #toCore()} turns it into the engine's {@link ExperimentSpec}. Those three
 * default the spec themselves, so they may be called on a request as received. A spec whose data
 * names an uploaded dataset needs the overloads taking a {@link DatasetResolver}; the others
 * resolve no dataset.
 *
 * @param name         a label, at most {@value #MAX_NAME_LENGTH} characters; default "experiment"
 * @param tags         free key-value labels, at most {@value #MAX_TAGS}, keys and values at most
 *                     {@value #MAX_TAG_LENGTH} characters; default {}
 * @param seed         seeds the weights, the generated data and the Lanczos start vectors; default 0
 * @param dtype        float64 (default) or float32
 * @param network      the network; default all defaults
 * @param data         the data; default a sphere generator
 * @param training     gradient descent; default all defaults
 * @param measurements what is measured; default all defaults
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentSpecification(String name, Map<String, String> tags, Long seed, Dtype dtype,
        NetworkSpec network, DataSpec data, TrainingSettings training, MeasurementSettings measurements) {

    /** The default name. */
    public static final String DEFAULT_NAME = "experiment";
    /** The longest name. */
    public static final int MAX_NAME_LENGTH = 200;
    /** The most tags. */
    public static final int MAX_TAGS = 32;
    /** The longest tag key or value. */
    public static final int MAX_TAG_LENGTH = 100;

    /** Names and tags are stored as text, which PostgreSQL cannot hold with U+0000 in it. */
    public static final String NO_NUL = "must not contain the character U+0000 (NUL)";

    /** The engine stores w and each layer in one int-indexed array. */
    static final long MAX_WEIGHTS = Integer.MAX_VALUE - 8L;
    /**
     * The longest the infinite-width kernel may take by its estimate
     * ({@link org.ntklab.core.kernel.InfiniteWidthKernel#estimatedSeconds}): ten minutes, about a
     * quadrature activation on n = 350 with two hidden layers.
     */
    public static final double MAX_INFINITE_WIDTH_SECONDS = 600;
    /**
     * The longest the opt-in Hessian measurements (blocks, trace, density, loss Hessian) may take
     * together by their estimate ({@link org.ntklab.core.experiment.HessianMeasurementCost}): an
     * hour, e.g. 10^4 trace samples of 4 probes at init and end of a network of 4.5 10^6 weights.
     */
    public static final double MAX_HESSIAN_MEASUREMENT_SECONDS = 3600;

    /** The engine indexes the (n c x n c) kernel with ints: (n c)^2 &lt; 2^31. */
    static final int MAX_KERNEL_SIDE = 46_340;

    public ExperimentSpecification {
        tags = tags == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** All defaults: a width-256 tanh network on 20 points of the 10-dimensional sphere. */
    public static ExperimentSpecification defaults() {
        return new ExperimentSpecification(null, null, null, null, null, null, null, null).withDefaults();
    }

    /**
     * A copy with every absent field filled with its default, recursively. Defaults that depend on
     * other fields: network.outputDim is the data's c (y's columns; 1 for sphere and line; 2 for
     * gaussian-mixture), the default probes are the first min(4, n) inputs. Idempotent; never throws.
     */
    public ExperimentSpecification withDefaults() {
        return withDefaults(DatasetResolver.NONE);
    }

    /**
     * {@link #withDefaults()} where an uploaded dataset's c and n (through {@code datasets}) give the
     * default outputDim and probes; an unknown dataset counts as c = 1, n = 0.
     */
    public ExperimentSpecification withDefaults(DatasetResolver datasets) {
        DataSpec d = (data == null ? DataSpec.generated(null, null, null) : data).withDefaults();
        DatasetResolver.Shape stored = stored(d, datasets);
        NetworkSpec net = (network == null ? new NetworkSpec(null, null, null, null, null, null, null, null) : network)
                .withDefaults(d.defaultOutputDim(stored));
        TrainingSettings t = (training == null ? new TrainingSettings(null, null, null, null) : training)
                .withDefaults();
        MeasurementSettings m = (measurements == null ? new MeasurementSettings(null, null, null, null, null, null)
                : measurements).withDefaults(d.exampleCount(stored));
        return new ExperimentSpecification(name == null ? DEFAULT_NAME : name, tags == null ? Map.of() : tags,
                seed == null ? 0L : seed, dtype == null ? Dtype.FLOAT64 : dtype, net, d, t, m);
    }

    /**
     * What is wrong with this spec (after {@link #withDefaults()}) under {@code limits}, in a fixed
     * order (labels, network, data, training, measurements); empty when it is valid. Never throws. Beyond each object's own rules: y's columns
     * must equal network.outputDim, cross-entropy needs a softmax output, probes must lie below n
     * and c, the weight count (trainable and frozen: both are stored and multiplied) must be at
     * most {@link Limits#maxParameters()}, and n c at most {@value #MAX_KERNEL_SIDE} (the engine's
     * int-indexed kernel).
     */
    public List<Violation> validate(Limits limits) {
        return validate(limits, DatasetResolver.NONE);
    }

    /**
     * {@link #validate(Limits)} with uploaded datasets looked up in {@code datasets}: the dataset
     * must exist, its c must equal network.outputDim, a subset's n must lie in [1, n], and the
     * other rules use the dataset's (subset's) n and d.
     */
    public List<Violation> validate(Limits limits, DatasetResolver datasets) {
        ExperimentSpecification s = withDefaults(datasets);
        DatasetResolver.Shape stored = stored(s.data, datasets);
        List<Violation> violations = new ArrayList<>();
        s.validateLabels(violations);
        s.network.validate(limits, violations);
        int n = s.data.exampleCount(stored);
        int d = s.data.inputCount(stored);
        int c = s.network.outputDim();
        s.data.validate(limits, c, stored, violations);
        if (violations.stream().noneMatch(v -> v.field().startsWith("data"))) {
            double limit = InputMagnitude.limit(s.dtype, n, c, d);
            String context = "in " + s.dtype.toString().toLowerCase(java.util.Locale.ROOT) + " with n = " + n + ", d = " + d
                    + ", c = " + c + ",";
            InputMagnitude.check("data.x", s.data.x(), limit, context, violations);
            InputMagnitude.check("data.y", s.data.y(), limit, context, violations);
            if (s.data.images() != null) {
                InputMagnitude.check("data.images (flattened)", DataSpec.rows(s.data.images()), limit, context, violations);
            }
            if (!s.data.isSupplied() && !s.data.isStored()) {
                InputMagnitude.checkScale("data.noise", s.data.noise(), limit, context, violations);
                InputMagnitude.checkScale("data.separation", s.data.separation(), limit, context, violations);
            }
        }
        if (s.data.isSupplied() && s.data.y() != null && s.data.y().length > 0 && s.data.y()[0] != null
                && s.data.y()[0].length > 0 && s.data.y()[0].length != c) {
            violations.add(new Violation("network.outputDim", "must equal the number of y columns, "
                    + s.data.y()[0].length + ", got " + c));
        }
        if (stored != null && stored.c() != c) {
            violations.add(new Violation("network.outputDim", "must equal the dataset's number of Y columns, "
                    + stored.c() + ", got " + c));
        }
        boolean shapeKnown = c >= 1 && d >= 1
                && violations.stream().noneMatch(v -> v.field().startsWith("network.hiddenWidths")
                        || v.field().startsWith("network.channels") || v.field().startsWith("network.kernelSize")
                        || v.field().startsWith("network.stride") || v.field().startsWith("network.blocks")
                        || v.field().startsWith("data.imageShape") || v.field().startsWith("data.images"));
        if (s.network.isConvolutional()) {
            int[] image = s.data.imageDimensions();
            if (image == null) {
                boolean imageData = s.data.generator() == DataSpec.Generator.IMAGES || s.data.images() != null;
                if (!imageData && (!s.data.isStored() || stored != null)) {
                    violations.add(new Violation("data", "a " + s.network.architecture() + " needs images: the images "
                            + "generator or supplied images (n, C, H, W)"));
                }
            } else if (shapeKnown && violations.stream().noneMatch(v -> v.field().startsWith("network"))) {
                org.ntklab.core.layers.ConvArchitecture conv = ConvNetworks.toCore(s.network, image, violations);
                if (conv != null) {
                    long weights = conv.build().parameterCount();
                    long cap = Math.min(limits.maxParameters(), MAX_WEIGHTS);
                    if (weights > cap) {
                        violations.add(new Violation("network.channels", "the network has " + weights
                                + " weights; at most " + cap + " are allowed"));
                    }
                }
            }
        } else if (shapeKnown) {
            long weights = s.network.weightCount(d, true);
            long cap = Math.min(limits.maxParameters(), MAX_WEIGHTS);
            if (weights > cap) {
                violations.add(new Violation("network.hiddenWidths", "the network has " + weights + " weights ("
                        + s.network.weightCount(d, false) + " trainable); at most " + cap + " are allowed",
                        cap == limits.maxParameters() ? Limits.PARAMETERS : null));
            }
        }
        if ((long) n * c > MAX_KERNEL_SIDE) {
            violations.add(new Violation(s.data.isStored() ? "data.dataset" : s.data.isSupplied() ? "data.x" : "data.n",
                    "n * outputDim = "
                    + (long) n * c + ", but the full tangent kernel (n c x n c) must have fewer than 2^31 entries: n c <= "
                    + MAX_KERNEL_SIDE));
        }
        s.training.validate(limits, violations);
        if (!s.training.loss().toCore().supports(s.network.outputMap().toCore())) {
            violations.add(new Violation("training.loss", s.training.loss() + " needs outputMap softmax, got "
                    + s.network.outputMap()));
        }
        s.measurements.validate(limits, n, c, violations);
        if (Boolean.TRUE.equals(s.measurements.infiniteWidthKernel()) && !s.network.isConvolutional() && shapeKnown && n >= 1
                && violations.stream().noneMatch(v -> v.field().startsWith("network"))) {
            Architecture architecture = s.network.toCore(d);
            double seconds = org.ntklab.core.kernel.InfiniteWidthKernel.estimatedSeconds(architecture, n);
            if (org.ntklab.core.kernel.InfiniteWidthKernel.undefinedReason(architecture) == null
                    && seconds > MAX_INFINITE_WIDTH_SECONDS) {
                violations.add(new Violation("measurements.infiniteWidthKernel", String.format(java.util.Locale.ROOT,
                        "the infinite-width kernel of %d inputs through %d %s layers would take about %.0f s by "
                        + "quadrature; at most %.0f s are allowed (use fewer inputs, or relu, erf or identity, "
                        + "which have closed forms)", n, architecture.depth(), s.network.activation(), seconds,
                        MAX_INFINITE_WIDTH_SECONDS)));
            }
        }
        if (!s.network.isConvolutional() && shapeKnown && n >= 1
                && violations.stream().noneMatch(v -> v.field().startsWith("network")
                        || v.field().startsWith("measurements") || v.field().startsWith("training"))) {
            MeasurementSpec measurements = s.measurements.toCore(s.seed);
            Architecture architecture = s.network.toCore(d);
            int layers = 0;
            for (boolean trainable : architecture.trainable()) {
                layers += trainable ? 1 : 0;
            }
            double seconds = org.ntklab.core.experiment.HessianMeasurementCost.estimatedSeconds(measurements,
                    s.network.weightCount(d, false), layers, n, s.training.steps());
            if (seconds > MAX_HESSIAN_MEASUREMENT_SECONDS) {
                violations.add(new Violation("measurements", String.format(java.util.Locale.ROOT,
                        "the Hessian's blocks, trace, density and loss Hessian asked for would take about %.0f s by "
                        + "their estimate (counted in Hessian-vector products of %d weights); at most %.0f s are "
                        + "allowed: ask for fewer probes, samples, runs or steps, or measure at init only",
                        seconds, s.network.weightCount(d, false), MAX_HESSIAN_MEASUREMENT_SECONDS)));
            }
        }
        return violations;
    }

    /**
     * What is wrong with the name and tags of this defaulted spec alone (blank, too long, too many,
     * U+0000): for labels set after {@link #validate}, as a sweep names and tags its children.
     */
    public List<Violation> labelViolations() {
        List<Violation> violations = new ArrayList<>();
        validateLabels(violations);
        return violations;
    }

    private void validateLabels(List<Violation> violations) {
        if (name.isBlank()) {
            violations.add(new Violation("name", "must not be blank"));
        } else if (name.indexOf('\u0000') >= 0) {
            violations.add(new Violation("name", NO_NUL));
        } else if (name.length() > MAX_NAME_LENGTH) {
            violations.add(new Violation("name", "must have at most " + MAX_NAME_LENGTH + " characters, got "
                    + name.length()));
        }
        if (tags.size() > MAX_TAGS) {
            violations.add(new Violation("tags", "at most " + MAX_TAGS + " tags are allowed, got " + tags.size()));
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String key = tag.getKey();
            if (key.indexOf('\u0000') >= 0 || (tag.getValue() != null && tag.getValue().indexOf('\u0000') >= 0)) {
                violations.add(new Violation("tags", NO_NUL));
            } else if (key.length() > MAX_TAG_LENGTH) {
                violations.add(new Violation("tags", "key '" + key.substring(0, 20) + "...' has " + key.length()
                        + " characters; at most " + MAX_TAG_LENGTH + " are allowed"));
            } else if (tag.getValue() == null) {
                violations.add(new Violation("tags." + key, "must not be null"));
            } else if (tag.getValue().length() > MAX_TAG_LENGTH) {
                violations.add(new Violation("tags." + key, "must have at most " + MAX_TAG_LENGTH
                        + " characters, got " + tag.getValue().length()));
            }
        }
    }

    /**
     * The engine's spec: the architecture, the dataset (drawn from the seed, or copied from x and
     * y), training and measurement settings (Lanczos with the default basis budget and the
     * experiment seed), the dtype and the seed.
     *
     * @throws InvalidSpecificationException if the spec is not valid even without limits
     */
    public ExperimentSpec toCore() {
        return toCore(DatasetResolver.NONE);
    }

    /**
     * {@link #toCore()} reading an uploaded dataset's arrays through {@code datasets}.
     *
     * @throws InvalidSpecificationException if the spec is not valid even without limits (a
     *     dataset that no longer exists included)
     */
    public ExperimentSpec toCore(DatasetResolver datasets) {
        ExperimentSpecification s = valid(datasets);
        int c = s.network.outputDim();
        DataType dtype = s.dtype.toCore();
        return new ExperimentSpec(s.model(datasets), dtype, s.seed, s.data.toCore(c, s.seed, dtype, datasets),
                s.training.toCore(), s.measurements.toCore(s.seed));
    }

    /**
     * The memory the engine will allocate to run this experiment ({@link MemoryEstimate}).
     *
     * @throws InvalidSpecificationException if the spec is not valid even without limits
     */
    public MemoryEstimate memoryEstimate() {
        return memoryEstimate(DatasetResolver.NONE);
    }

    /** {@link #memoryEstimate()} with an uploaded dataset's (subset's) n and d from {@code datasets}. */
    public MemoryEstimate memoryEstimate(DatasetResolver datasets) {
        ExperimentSpecification s = valid(datasets);
        DatasetResolver.Shape stored = stored(s.data, datasets);
        ModelSpec model = s.model(datasets);
        int n = s.data.exampleCount(stored);
        MemoryEstimate estimate = model.memory(n, s.dtype.toCore(), s.measurements.toCore(s.seed));
        if (Boolean.TRUE.equals(s.measurements.infiniteWidthKernel()) && model instanceof MlpSpec mlp
                && org.ntklab.core.kernel.InfiniteWidthKernel.undefinedReason(mlp.architecture()) == null) {
            estimate = estimate.withInfiniteWidthKernel(mlp.architecture().depth(), n, model.outputDim(),
                    s.dtype.toCore());
        }
        return estimate;
    }

    /** The core model of a defaulted, valid spec: a fully connected network, or a cnn / resnet on its images. */
    private ModelSpec model(DatasetResolver datasets) {
        if (network.isConvolutional()) {
            List<Violation> violations = new ArrayList<>();
            org.ntklab.core.layers.ConvArchitecture conv = ConvNetworks.toCore(network, data.imageDimensions(),
                    violations);
            if (conv == null) {
                throw new InvalidSpecificationException(violations);
            }
            return new LayeredSpec(conv);
        }
        Architecture architecture = network.toCore(data.inputCount(stored(data, datasets)));
        return new MlpSpec(architecture);
    }

    /** The defaulted spec, after checking it against {@link Limits#unbounded()}. */
    private ExperimentSpecification valid(DatasetResolver datasets) {
        List<Violation> violations = validate(Limits.unbounded(), datasets);
        if (!violations.isEmpty()) {
            throw new InvalidSpecificationException(violations);
        }
        return withDefaults(datasets);
    }

    /** The shape of the uploaded dataset {@code data} names, or null (another form, or unknown). */
    private static DatasetResolver.Shape stored(DataSpec data, DatasetResolver datasets) {
        return data.isStored() ? datasets.shape(data.dataset()).orElse(null) : null;
    }

    /** The floating-point type of every array of the experiment. */
    public enum Dtype {
        FLOAT64, FLOAT32;

        /**
         * The type named {@code text}, ignoring case.
         *
         * @throws UnknownValueException listing the allowed names
         */
        @JsonCreator
        public static Dtype parse(String text) {
            return KebabCase.parse(Dtype.class, "dtype", text);
        }

        @JsonValue
        @Override
        public String toString() {
            return KebabCase.of(this);
        }

        /** DOUBLE or FLOAT. */
        public DataType toCore() {
            return this == FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
        }
    }
}
