package org.ntklab.jobs.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.data.DataGenerator;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.GeneratorParameters;

/**
 * The {@code data} object, in one of two forms: generator parameters
 * ({@code generator, n, inputDim, noise, separation}, see {@link DataGenerator} for what they mean)
 * or supplied values ({@code x}, n rows of d numbers, and {@code y}, n rows of c numbers). Giving
 * any of {@code x}, {@code y} selects the second form, and then no generator field may be given.
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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSpec(Generator generator, Integer n, Integer inputDim, Double noise, Double separation,
        double[][] x, double[][] y) {

    /** The default number of examples. */
    public static final int DEFAULT_N = 20;
    /** The default input dimension (line always has 1). */
    public static final int DEFAULT_INPUT_DIM = 10;

    /** Generator parameters; null fields take their defaults. */
    public static DataSpec generated(Generator generator, Integer n, Integer inputDim) {
        return new DataSpec(generator, n, inputDim, null, null, null, null);
    }

    /** Supplied values, not copied. */
    public static DataSpec supplied(double[][] x, double[][] y) {
        return new DataSpec(null, null, null, null, null, x, y);
    }

    /** Whether this is the supplied form (x or y given). */
    @JsonIgnore
    public boolean isSupplied() {
        return x != null || y != null;
    }

    /** A copy with the generator fields defaulted; the supplied form is returned as it is. */
    public DataSpec withDefaults() {
        if (isSupplied()) {
            return this;
        }
        Generator g = generator == null ? Generator.SPHERE : generator;
        return new DataSpec(g, n == null ? DEFAULT_N : n,
                inputDim != null ? inputDim : g == Generator.LINE ? 1 : DEFAULT_INPUT_DIM,
                noise != null ? noise : defaultNoise(g),
                separation == null ? GeneratorParameters.DEFAULT_SEPARATION : separation, null, null);
    }

    /** The core generator's own default noise: 0, and 1 for gaussian-mixture. */
    private static double defaultNoise(Generator g) {
        return g.toCore().defaults(1, 1, 1, 0).noise();
    }

    /** n: x's rows when supplied (y's if x is missing), else the n field (0 when absent). */
    public int exampleCount() {
        if (isSupplied()) {
            return x != null ? x.length : y.length;
        }
        return n == null ? 0 : n;
    }

    /** d: the length of x's first row when supplied (0 if there is none), else the inputDim field (0 when absent). */
    public int inputCount() {
        if (isSupplied()) {
            return x != null && x.length > 0 && x[0] != null ? x[0].length : 0;
        }
        return inputDim == null ? 0 : inputDim;
    }

    /**
     * The c this data implies: y's first row's length when supplied (1 if it has none), 2 for
     * gaussian-mixture, else 1.
     */
    public int defaultOutputDim() {
        if (isSupplied()) {
            return y != null && y.length > 0 && y[0] != null && y[0].length > 0 ? y[0].length : 1;
        }
        return generator == Generator.GAUSSIAN_MIXTURE ? 2 : 1;
    }

    /**
     * Adds the violations of defaulted data for a network with c = {@code outputDim} outputs. At most
     * one violation per array (the first bad row or cell).
     */
    void validate(Limits limits, int outputDim, List<Violation> violations) {
        long maxValues = Math.min(limits.maxInputValues(), Integer.MAX_VALUE - 8L);
        if (isSupplied()) {
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
            Matrices.validate("data.x", x, maxValues, violations);
            Matrices.validate("data.y", y, maxValues, violations);
            return;
        }
        if (n < 1) {
            violations.add(new Violation("data.n", "must be >= 1, got " + n));
        }
        if (inputDim < 1) {
            violations.add(new Violation("data.inputDim", "must be >= 1, got " + inputDim));
        } else if (generator == Generator.LINE && inputDim != 1) {
            violations.add(new Violation("data.inputDim", "the line generator needs inputDim = 1, got " + inputDim));
        }
        long values = (long) Math.max(n, 0) * Math.max(Math.max(inputDim, outputDim), 0);
        if (values > maxValues) {
            violations.add(new Violation("data.n", "n * max(inputDim, outputDim) = " + values + " values; at most "
                    + maxValues + " are allowed"));
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
     * The core dataset of defaulted, valid data: drawn from {@code seed} or copied from x and y,
     * in {@code dtype}.
     */
    public Dataset toCore(int outputDim, long seed, DataType dtype) {
        if (isSupplied()) {
            return Dataset.of(x, y, dtype);
        }
        return generator.toCore().generate(new GeneratorParameters(n, inputDim, outputDim, seed, dtype, noise,
                separation));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataSpec d && generator == d.generator && Objects.equals(n, d.n)
                && Objects.equals(inputDim, d.inputDim) && Objects.equals(noise, d.noise)
                && Objects.equals(separation, d.separation) && Arrays.deepEquals(x, d.x) && Arrays.deepEquals(y, d.y);
    }

    @Override
    public int hashCode() {
        return Objects.hash(generator, n, inputDim, noise, separation, Arrays.deepHashCode(x), Arrays.deepHashCode(y));
    }

    @Override
    public String toString() {
        if (isSupplied()) {
            return "DataSpec[x: " + shape(x) + ", y: " + shape(y) + "]";
        }
        return "DataSpec[" + generator + ", n=" + n + ", inputDim=" + inputDim + ", noise=" + noise
                + ", separation=" + separation + "]";
    }

    private static String shape(double[][] a) {
        return a == null ? "null" : a.length + " rows";
    }

    /** A deterministic data generator. */
    public enum Generator {
        SPHERE, LINE, GAUSSIAN_MIXTURE;

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

        public DataGenerator toCore() {
            return DataGenerator.valueOf(name());
        }
    }
}
