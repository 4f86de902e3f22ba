package org.ntklab.core.data;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training data: inputs {@code x} of shape (n, d) and targets {@code y} of shape (n, c), row i of
 * each belonging to example i, both of the same data type (DOUBLE or FLOAT).
 *
 * <p>The dataset owns {@code x} and {@code y}: the constructor does not copy them and the
 * accessors return them as they are, so neither the caller that built the dataset nor a reader may
 * modify them (ND4J arrays are mutable and views alias); {@code dup()} first.
 *
 * @param x inputs, shape (n, d), n &ge; 1, d &ge; 1
 * @param y targets, shape (n, c), c &ge; 1, same data type as {@code x}
 */
public record Dataset(INDArray x, INDArray y) {

    public Dataset {
        if (x == null || y == null) {
            throw new IllegalArgumentException("x and y must not be null");
        }
        if (x.rank() != 2 || y.rank() != 2) {
            throw new IllegalArgumentException("x and y must be matrices; x has shape "
                    + Arrays.toString(x.shape()) + ", y has shape "
                    + Arrays.toString(y.shape()));
        }
        if (x.rows() < 1 || x.columns() < 1 || y.columns() < 1) {
            throw new IllegalArgumentException("x (n, d) and y (n, c) need n, d, c >= 1; got x "
                    + Arrays.toString(x.shape()) + ", y " + Arrays.toString(y.shape()));
        }
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("x has " + x.rows() + " rows but y has " + y.rows());
        }
        requireSupported(x.dataType());
        if (y.dataType() != x.dataType()) {
            throw new IllegalArgumentException("x is " + x.dataType() + " but y is " + y.dataType()
                    + "; both must have the same data type");
        }
    }

    /** The number of examples n. */
    public int n() {
        return (int) x.rows();
    }

    /** The input dimension d. */
    public int inputDim() {
        return (int) x.columns();
    }

    /** The output dimension c. */
    public int outputDim() {
        return (int) y.columns();
    }

    /** The data type of x and y, DOUBLE or FLOAT. */
    public DataType dataType() {
        return x.dataType();
    }

    /**
     * A dataset holding copies of caller-supplied values, rounded to {@code dtype} (DOUBLE or
     * FLOAT). The arguments are not modified.
     *
     * @param x n rows of d finite values, n &ge; 1, d &ge; 1
     * @param y n rows of c finite values, c &ge; 1
     * @throws IllegalArgumentException naming the offending row or element if the arrays are
     *     empty, ragged, of different row counts or hold NaN or infinite values
     */
    public static Dataset of(double[][] x, double[][] y, DataType dtype) {
        requireSupported(dtype);
        if (x == null || y == null) {
            throw new IllegalArgumentException("x and y must not be null");
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("x has no rows: a dataset needs n >= 1 examples");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " rows but y has " + y.length);
        }
        return new Dataset(matrix(flatten("x", x), x.length, x[0].length, dtype),
                matrix(flatten("y", y), y.length, y[0].length, dtype));
    }

    /**
     * A new C-ordered (rows, cols) matrix of {@code dtype} holding {@code rowMajor}, each value
     * rounded to nearest when {@code dtype} is FLOAT. {@code rowMajor} is not modified.
     */
    static INDArray matrix(double[] rowMajor, int rows, int cols, DataType dtype) {
        long[] shape = {rows, cols};
        if (dtype == DataType.DOUBLE) {
            return Nd4j.create(rowMajor, shape, DataType.DOUBLE);
        }
        float[] values = new float[rowMajor.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) rowMajor[i];
        }
        return Nd4j.create(values, shape, DataType.FLOAT);
    }

    /** Throws unless {@code dtype} is DOUBLE or FLOAT. */
    static void requireSupported(DataType dtype) {
        if (dtype != DataType.DOUBLE && dtype != DataType.FLOAT) {
            throw new IllegalArgumentException("data type must be DOUBLE or FLOAT, got " + dtype);
        }
    }

    private static double[] flatten(String name, double[][] rows) {
        if (rows[0] == null || rows[0].length == 0) {
            throw new IllegalArgumentException(name + " row 0 is empty: each row needs at least one value");
        }
        int width = rows[0].length;
        double[] flat = new double[Math.multiplyExact(rows.length, width)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != width) {
                throw new IllegalArgumentException(name + " row " + i + " has length "
                        + (rows[i] == null ? "null" : rows[i].length) + ", expected " + width
                        + " (rows must be rectangular)");
            }
            for (int j = 0; j < width; j++) {
                double v = rows[i][j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(name + "[" + i + "][" + j + "] is " + v
                            + ": values must be finite");
                }
                flat[i * width + j] = v;
            }
        }
        return flat;
    }
}
