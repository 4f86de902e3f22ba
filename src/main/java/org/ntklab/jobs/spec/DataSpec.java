package org.ntklab.jobs.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.data.DataArrays;
import org.ntklab.core.data.DataGenerator;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.GeneratorParameters;
import org.ntklab.core.data.ImageGenerator;

/**
 * The {@code data} object, in one of three forms: generator parameters
 * ({@code generator, n, inputDim, noise, separation}, see {@link DataGenerator} for what they mean),
 * supplied values ({@code x}, n rows of d numbers, and {@code y}, n rows of c numbers), or an
 * uploaded dataset ({@code dataset}, its id, with optional {@code subset} and {@code standardize}).
 * Giving any of {@code x}, {@code y} selects the second form, {@code dataset} the third; the fields
 * of the other forms may then not be given. {@code subset} and {@code standardize} need
 * {@code dataset}. A dataset is resolved through a {@link DatasetResolver}: its shape fills the
 * defaults and is validated, its arrays are read when the experiment runs (subset first, then
 * standardisation, see {@link DataArrays}).
 *
 * <p>The arrays are held as given, not copied: neither the caller nor a reader may modify them.
 *
 * @param generator  default sphere
 * @param n          number of examples; default 20
 * @param inputDim   d; default 10, and 1 for line (which allows nothing else)
 * @param noise      a standard deviation &gt;= 0; default 0, and 1 for gaussian-mixture
 * @param separation the norm of the gaussian-mixture class means, &gt;= 0; default 3
 * @param x          supplied inputs, shape (n, d)
 * @param y          supplied targets, shape (n, c)
 * @param dataset    the id of an uploaded dataset
 * @param subset     a seeded random subset of the dataset's examples; default all of them
 * @param standardize whether each column of the dataset's X is standardised (population std); default false
 * @param imageShape  the images generator's (C, H, W); default [3, 8, 8] (see {@link ImageGenerator}); the
 *                    generator's inputDim is then C H W
 * @param images      supplied images, shape (n, C, H, W), with y instead of x; a row of X is an image
 *                    flattened in (C, H, W) order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSpec(Generator generator, Integer n, Integer inputDim, Double noise, Double separation,
        double[][] x, double[][] y, UUID dataset, DataSubset subset, Boolean standardize, List<Integer> imageShape,
        double[][][][] images) {

    /** The images generator's default (C, H, W). */
    public static final List<Integer> DEFAULT_IMAGE_SHAPE = List.of(3, 8, 8);
    /** The largest image side and channel count accepted. */
    public static final int MAX_IMAGE_SIDE = 1024;

    /** The fields of the forms without images. */
    public DataSpec(Generator generator, Integer n, Integer inputDim, Double noise, Double separation,
            double[][] x, double[][] y, UUID dataset, DataSubset subset, Boolean standardize) {
        this(generator, n, inputDim, noise, separation, x, y, dataset, subset, standardize, null, null);
    }

    /**
     * The per-example shape (C, H, W) of image data (the images generator's imageShape, or the
     * supplied images' dimensions), or null for rows.
     */
    public int[] imageDimensions() {
        if (images != null) {
            if (images.length == 0 || images[0] == null || images[0].length == 0 || images[0][0] == null
                    || images[0][0].length == 0 || images[0][0][0] == null) {
                return null;
            }
            return new int[] {images[0].length, images[0][0].length, images[0][0][0].length};
        }
        if (generator == Generator.IMAGES && imageShape != null && imageShape.size() == 3
                && imageShape.stream().allMatch(v -> v != null && v >= 1)) {
            return imageShape.stream().mapToInt(Integer::intValue).toArray();
        }
        return null;
    }

    /** The default number of examples. */
    public static final int DEFAULT_N = 20;
    /** The default input dimension (line always has 1). */
    public static final int DEFAULT_INPUT_DIM = 10;

    /** Generator parameters; null fields take their defaults. */
    public static DataSpec generated(Generator generator, Integer n, Integer inputDim) {
        return new DataSpec(generator, n, inputDim, null, null, null, null, null, null, null);
    }

    /** Supplied values, not copied. */
    public static DataSpec supplied(double[][] x, double[][] y) {
        return new DataSpec(null, null, null, null, null, x, y, null, null, null);
    }

    /** An uploaded dataset, all of it or a subset (null), standardised or not (null: default false). */
    public static DataSpec stored(UUID dataset, DataSubset subset, Boolean standardize) {
        return new DataSpec(null, null, null, null, null, null, null, dataset, subset, standardize);
    }

    /** Whether this is the dataset form (dataset given). */
    @JsonIgnore
    public boolean isStored() {
        return dataset != null;
    }

    /** Whether this is the supplied form (x or y given). */
    @JsonIgnore
    public boolean isSupplied() {
        return x != null || y != null || images != null;
    }

    /**
     * A copy with the generator fields defaulted, or for the dataset form the subset's seed and
     * standardize; the supplied form is returned as it is.
     */
    public DataSpec withDefaults() {
        if (isSupplied()) {
            return this;
        }
        if (isStored()) {
            return new DataSpec(generator, n, inputDim, noise, separation, null, null, dataset,
                    subset == null ? null : subset.withDefaults(), standardize == null ? Boolean.FALSE : standardize);
        }
        Generator g = generator == null ? Generator.SPHERE : generator;
        if (g == Generator.IMAGES) {
            List<Integer> shape = imageShape == null ? DEFAULT_IMAGE_SHAPE : imageShape;
            long d = 1;
            for (Integer v : shape) {
                d *= v == null ? 0 : v;
            }
            return new DataSpec(g, n == null ? DEFAULT_N : n,
                    inputDim != null ? inputDim : (int) Math.min(Integer.MAX_VALUE, Math.max(0, d)), noise, separation,
                    null, null, null, subset, standardize, shape, null);
        }
        return new DataSpec(g, n == null ? DEFAULT_N : n,
                inputDim != null ? inputDim : g == Generator.LINE ? 1 : DEFAULT_INPUT_DIM,
                noise != null ? noise : defaultNoise(g),
                separation == null ? GeneratorParameters.DEFAULT_SEPARATION : separation, null, null, null, subset,
                standardize);
    }

    private void validateImageGenerator(Limits limits, int outputDim, long maxValues, List<Violation> violations) {
        if (noise != null) {
            violations.add(new Violation("data.noise", "the images generator has no noise"));
        }
        if (separation != null) {
            violations.add(new Violation("data.separation", "only for the gaussian-mixture generator"));
        }
        if (imageShape.size() != 3) {
            violations.add(new Violation("data.imageShape", "must be [C, H, W], got " + imageShape));
            return;
        }
        for (int i = 0; i < 3; i++) {
            Integer v = imageShape.get(i);
            if (v == null || v < 1 || v > MAX_IMAGE_SIDE) {
                violations.add(new Violation("data.imageShape[" + i + "]", "must be in [1, " + MAX_IMAGE_SIDE + "], got "
                        + v));
                return;
            }
        }
        long d = (long) imageShape.get(0) * imageShape.get(1) * imageShape.get(2);
        if (inputDim != d) {
            violations.add(new Violation("data.inputDim", "is C H W = " + d + " for the images generator, got "
                    + inputDim));
        }
        long values = (long) Math.max(n, 0) * Math.max(d, outputDim);
        if (values > maxValues) {
            violations.add(new Violation("data.n", "n * max(C H W, outputDim) = " + values + " values; at most "
                    + maxValues + " are allowed"));
        }
    }

    private void validateImages(long maxValues, List<Violation> violations) {
        if (x != null) {
            violations.add(new Violation("data.x", "give either x or images, not both"));
        }
        if (generator != null || n != null || inputDim != null || noise != null || separation != null) {
            violations.add(new Violation("data", "give either generator parameters or images and y, not both"));
        }
        if (y == null) {
            violations.add(new Violation("data.y", "is required when images are given"));
            return;
        }
        if (images.length == 0) {
            violations.add(new Violation("data.images", "needs at least one image"));
            return;
        }
        if (images.length != y.length) {
            violations.add(new Violation("data.y", "has " + y.length + " rows but there are " + images.length
                    + " images"));
        }
        int[] shape = imageDimensions();
        if (shape == null) {
            violations.add(new Violation("data.images[0]", "must be a non-empty (C, H, W) array"));
            return;
        }
        long values = (long) images.length * shape[0] * shape[1] * shape[2];
        if (values > maxValues) {
            violations.add(new Violation("data.images", "has " + values + " values; at most " + maxValues
                    + " are allowed"));
            return;
        }
        for (int i = 0; i < images.length; i++) {
            double[][][] image = images[i];
            if (image == null || image.length != shape[0]) {
                violations.add(new Violation("data.images[" + i + "]", "must have " + shape[0]
                        + " channels like image 0 (shape (n, C, H, W))"));
                return;
            }
            for (int ch = 0; ch < shape[0]; ch++) {
                if (image[ch] == null || image[ch].length != shape[1]) {
                    violations.add(new Violation("data.images[" + i + "][" + ch + "]", "must have " + shape[1]
                            + " rows like image 0"));
                    return;
                }
                for (int r = 0; r < shape[1]; r++) {
                    double[] row = image[ch][r];
                    if (row == null || row.length != shape[2]) {
                        violations.add(new Violation("data.images[" + i + "][" + ch + "][" + r + "]", "must have "
                                + shape[2] + " values like image 0"));
                        return;
                    }
                    for (int s = 0; s < row.length; s++) {
                        if (!Double.isFinite(row[s])) {
                            violations.add(new Violation("data.images[" + i + "][" + ch + "][" + r + "][" + s + "]",
                                    "must be finite, got " + row[s]));
                            return;
                        }
                    }
                }
            }
        }
        Matrices.validate("data.y", y, maxValues, violations);
    }

    /** The images (n, C, H, W) as rows of C H W values in (C, H, W) order. */
    static double[][] rows(double[][][][] images) {
        double[][] out = new double[images.length][];
        for (int i = 0; i < images.length; i++) {
            double[][][] image = images[i];
            int h = image[0].length;
            int w = image[0][0].length;
            double[] row = new double[image.length * h * w];
            for (int ch = 0; ch < image.length; ch++) {
                for (int r = 0; r < h; r++) {
                    System.arraycopy(image[ch][r], 0, row, (ch * h + r) * w, w);
                }
            }
            out[i] = row;
        }
        return out;
    }

    /** The core generator's own default noise: 0, and 1 for gaussian-mixture. */
    private static double defaultNoise(Generator g) {
        return g.toCore().defaults(1, 1, 1, 0).noise();
    }

    /**
     * n: x's rows when supplied (y's if x is missing); for a dataset the subset's n, else the
     * dataset's n ({@code stored}, the resolved shape; 0 when null); else the n field (0 when absent).
     */
    public int exampleCount(DatasetResolver.Shape stored) {
        if (isSupplied()) {
            return x != null ? x.length : images != null ? images.length : y.length;
        }
        if (isStored()) {
            return subset != null && subset.n() != null ? subset.n() : stored == null ? 0 : stored.n();
        }
        return n == null ? 0 : n;
    }

    /**
     * d: the length of x's first row when supplied (0 if there is none), the dataset's d (0 when
     * {@code stored} is null), else the inputDim field (0 when absent).
     */
    public int inputCount(DatasetResolver.Shape stored) {
        if (isSupplied()) {
            if (images != null) {
                int[] shape = imageDimensions();
                return shape == null ? 0 : (int) Math.min(Integer.MAX_VALUE, (long) shape[0] * shape[1] * shape[2]);
            }
            return x != null && x.length > 0 && x[0] != null ? x[0].length : 0;
        }
        if (isStored()) {
            return stored == null ? 0 : stored.d();
        }
        return inputDim == null ? 0 : inputDim;
    }

    /**
     * The c this data implies: y's first row's length when supplied (1 if it has none), the
     * dataset's c (1 when {@code stored} is null), 2 for gaussian-mixture, else 1.
     */
    public int defaultOutputDim(DatasetResolver.Shape stored) {
        if (isSupplied()) {
            return y != null && y.length > 0 && y[0] != null && y[0].length > 0 ? y[0].length : 1;
        }
        if (isStored()) {
            return stored == null ? 1 : stored.c();
        }
        return generator == Generator.GAUSSIAN_MIXTURE ? 2 : 1;
    }

    /**
     * Adds the violations of defaulted data for a network with c = {@code outputDim} outputs. At most
     * one violation per array (the first bad row or cell).
     */
    void validate(Limits limits, int outputDim, DatasetResolver.Shape stored, List<Violation> violations) {
        long maxValues = Math.min(limits.maxInputValues(), Integer.MAX_VALUE - 8L);
        if (!isStored()) {
            if (subset != null) {
                violations.add(new Violation("data.subset", "needs data.dataset: only an uploaded dataset is subset"));
            }
            if (standardize != null) {
                violations.add(new Violation("data.standardize", "needs data.dataset: only an uploaded dataset is "
                        + "standardised"));
            }
        }
        if (isStored()) {
            if (isSupplied() || generator != null || n != null || inputDim != null || noise != null
                    || separation != null) {
                violations.add(new Violation("data", "give either a dataset, generator parameters (generator, n, "
                        + "inputDim, noise, separation) or x and y, not several"));
            }
            if (stored == null) {
                violations.add(new Violation("data.dataset", "no dataset with id " + dataset));
                return;
            }
            if (subset != null) {
                if (subset.n() == null) {
                    violations.add(new Violation("data.subset.n", "is required"));
                } else if (subset.n() < 1 || subset.n() > stored.n()) {
                    violations.add(new Violation("data.subset.n", "must be in [1, " + stored.n()
                            + "] (the dataset's n), got " + subset.n()));
                }
            }
            long values = (long) exampleCount(stored) * Math.max(stored.d(), stored.c());
            if (values > maxValues) {
                violations.add(new Violation("data.dataset", "n * max(d, c) = " + values + " values; at most "
                        + maxValues + " are allowed", Limits.INPUT_VALUES));
            }
            return;
        }
        if (isSupplied()) {
            if (imageShape != null) {
                violations.add(new Violation("data.imageShape", "only for the images generator: supplied images "
                        + "carry their shape"));
            }
            if (images != null) {
                validateImages(maxValues, violations);
                return;
            }
            if (generator != null || n != null || inputDim != null || noise != null || separation != null) {
                violations.add(new Violation("data", "give either generator parameters (generator, n, inputDim, "
                        + "noise, separation) or x and y, not both"));
            }
            if (x == null || y == null) {
                violations.add(new Violation(x == null ? "data.x" : "data.y", "is required when "
                        + (x == null ? "y" : "x") + " is given"));
                return;
            }
            if (x.length == 0) {
                violations.add(new Violation("data.x", "needs at least one row"));
                return;
            }
            if (x.length != y.length) {
                violations.add(new Violation("data.y", "has " + y.length + " rows but x has " + x.length));
            }
            int before = violations.size();
            Matrices.validate("data.x", x, maxValues, violations);
            if (violations.size() == before && Matrices.allZero(x)) {
                violations.add(new Violation("data.x", "every input is 0: without biases the network's tangent "
                        + "kernel is then degenerate (zero for most activations); give at least one non-zero value"));
            }
            Matrices.validate("data.y", y, maxValues, violations);
            return;
        }
        if (n < 1) {
            violations.add(new Violation("data.n", "must be >= 1, got " + n));
        } else if (n == 1 && generator == Generator.LINE) {
            violations.add(new Violation("data.n", "the line generator puts a single point at x = 0, where the tangent "
                    + "kernel of a network without biases is degenerate; n must be >= 2"));
        }
        if (generator == Generator.IMAGES) {
            validateImageGenerator(limits, outputDim, maxValues, violations);
            return;
        }
        if (imageShape != null) {
            violations.add(new Violation("data.imageShape", "only for the images generator"));
        }
        if (inputDim < 1) {
            violations.add(new Violation("data.inputDim", "must be >= 1, got " + inputDim));
        } else if (generator == Generator.LINE && inputDim != 1) {
            violations.add(new Violation("data.inputDim", "the line generator needs inputDim = 1, got " + inputDim));
        }
        long values = (long) Math.max(n, 0) * Math.max(Math.max(inputDim, outputDim), 0);
        if (values > maxValues) {
            violations.add(new Violation("data.n", "n * max(inputDim, outputDim) = " + values + " values; at most "
                    + maxValues + " are allowed", Limits.INPUT_VALUES));
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            violations.add(new Violation("data.noise", "must be finite and >= 0, got " + noise));
        }
        if (!(separation >= 0) || Double.isInfinite(separation)) {
            violations.add(new Violation("data.separation", "must be finite and >= 0, got " + separation));
        }
        if (generator == Generator.GAUSSIAN_MIXTURE && outputDim < 2) {
            violations.add(new Violation("network.outputDim", "the gaussian-mixture generator needs outputDim "
                    + "(the number of classes) >= 2, got " + outputDim));
        }
    }

    /**
     * The core dataset of defaulted, valid data: drawn from {@code seed}, copied from x and y, or
     * read through {@code resolver} (then the subset taken, then X standardised), in {@code dtype}.
     *
     * @throws InvalidSpecificationException if the dataset no longer exists
     */
    public Dataset toCore(int outputDim, long seed, DataType dtype, DatasetResolver resolver) {
        if (isSupplied()) {
            return Dataset.of(images != null ? rows(images) : x, y, dtype);
        }
        if (generator == Generator.IMAGES) {
            int[] shape = imageDimensions();
            return ImageGenerator.generate(n, shape[0], shape[1], shape[2], outputDim, seed, dtype);
        }
        if (isStored()) {
            DataArrays arrays = resolver.arrays(dataset).orElseThrow(() -> new InvalidSpecificationException(
                    List.of(new Violation("data.dataset", "no dataset with id " + dataset))));
            if (subset != null) {
                arrays = arrays.subset(subset.n(), subset.seed() == null ? 0L : subset.seed());
            }
            if (Boolean.TRUE.equals(standardize)) {
                arrays = arrays.standardized();
            }
            return arrays.toDataset(dtype);
        }
        return generator.toCore().generate(new GeneratorParameters(n, inputDim, outputDim, seed, dtype, noise,
                separation));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataSpec d && generator == d.generator && Objects.equals(n, d.n)
                && Objects.equals(inputDim, d.inputDim) && Objects.equals(noise, d.noise)
                && Objects.equals(separation, d.separation) && Arrays.deepEquals(x, d.x) && Arrays.deepEquals(y, d.y)
                && Objects.equals(dataset, d.dataset) && Objects.equals(subset, d.subset)
                && Objects.equals(standardize, d.standardize) && Objects.equals(imageShape, d.imageShape)
                && Arrays.deepEquals(images, d.images);
    }

    @Override
    public int hashCode() {
        return Objects.hash(generator, n, inputDim, noise, separation, Arrays.deepHashCode(x), Arrays.deepHashCode(y),
                dataset, subset, standardize, imageShape, Arrays.deepHashCode(images));
    }

    @Override
    public String toString() {
        if (isStored()) {
            return "DataSpec[dataset " + dataset + ", subset=" + subset + ", standardize=" + standardize + "]";
        }
        if (images != null) {
            return "DataSpec[images: " + images.length + " of " + Arrays.toString(imageDimensions()) + ", y: " + shape(y)
                    + "]";
        }
        if (isSupplied()) {
            return "DataSpec[x: " + shape(x) + ", y: " + shape(y) + "]";
        }
        if (generator == Generator.IMAGES) {
            return "DataSpec[images, n=" + n + ", imageShape=" + imageShape + "]";
        }
        return "DataSpec[" + generator + ", n=" + n + ", inputDim=" + inputDim + ", noise=" + noise
                + ", separation=" + separation + "]";
    }

    private static String shape(double[][] a) {
        return a == null ? "null" : a.length + " rows";
    }

    /** A deterministic data generator. */
    public enum Generator {
        SPHERE, LINE, GAUSSIAN_MIXTURE,
        /** Smooth synthetic images (C, H, W) with a smooth target ({@link ImageGenerator}). */
        IMAGES;

        /**
         * The generator named {@code text}, ignoring case.
         *
         * @throws UnknownValueException listing the allowed names
         */
        @JsonCreator
        public static Generator parse(String text) {
            return KebabCase.parse(Generator.class, "generator", text);
        }

        @JsonValue
        @Override
        public String toString() {
            return KebabCase.of(this);
        }

        /** The row generator; IMAGES has none (see {@link ImageGenerator}). */
        public DataGenerator toCore() {
            if (this == IMAGES) {
                throw new IllegalStateException("the images generator is ImageGenerator");
            }
            return DataGenerator.valueOf(name());
        }
    }
}
