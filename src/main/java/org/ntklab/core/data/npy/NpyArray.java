package org.ntklab.core.data.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An n-dimensional array as stored in a {@code .npy} file: a dtype, a shape and the raw element
 * bytes, little-endian, in C (row-major) order. Values are kept bit for bit (NaN payloads,
 * {@code -0.0}, every int64).
 *
 * <p>Immutable: the canonical constructor copies {@code shape} and takes ownership of
 * {@code data}'s remaining bytes without copying them (the caller must not modify that buffer
 * afterwards); {@link #shape()} returns a copy and {@link #data()} a read-only view. The factories
 * copy their arguments. Equality is bitwise on dtype, shape and bytes.
 *
 * <p>In {@code of(values, shape...)} an empty shape means a 0-d array holding one value:
 * {@code of(new double[] {1, 2, 3}, 3)} is 1-D, {@code of(new double[] {7})} is 0-d.
 *
 * @param dtype the element type
 * @param shape the dimensions, each {@code >= 0}; empty for a 0-d (scalar) array
 * @param data {@code product(shape) * dtype.itemSize()} bytes, little-endian, C order
 */
public record NpyArray(NpyDtype dtype, long[] shape, ByteBuffer data) {

    /** Largest number of data bytes: the capacity of one Java array or buffer. */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    public NpyArray {
        if (dtype == null || shape == null || data == null) {
            throw new IllegalArgumentException("dtype, shape and data must not be null");
        }
        shape = shape.clone();
        long bytes = byteCount(dtype, shape);
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("shape " + NpyHeader.shapeRepr(shape) + " of " + dtype
                    + " needs " + bytes + " bytes, more than " + MAX_BYTES);
        }
        if (data.remaining() != bytes) {
            throw new IllegalArgumentException("shape " + NpyHeader.shapeRepr(shape) + " of " + dtype
                    + " needs " + bytes + " bytes, data has " + data.remaining());
        }
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer();
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A read-only little-endian view of the element bytes, positioned at 0. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The number of elements, {@code product(shape)} (1 for a 0-d array). */
    public long size() {
        return elementCount(shape);
    }

    /** Copies a 2-D array of shape {@code (rows.length, rows[0].length)}; rows must be rectangular. */
    public static NpyArray of(double[][] rows) {
        int n = rows.length;
        int d = n == 0 ? 0 : rows[0].length;
        double[] flat = new double[Math.multiplyExact(n, d)];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has length " + rows[i].length
                        + ", expected " + d + ": rows must be rectangular");
            }
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        return of(flat, n, d);
    }

    /** Copies float64 {@code values} (C order) as an array of the given shape (empty: 0-d). */
    public static NpyArray of(double[] values, long... shape) {
        ByteBuffer b = allocate(NpyDtype.FLOAT64, shape, values.length);
        b.asDoubleBuffer().put(values);
        return new NpyArray(NpyDtype.FLOAT64, shape, b);
    }

    /** Copies float32 {@code values} (C order) as an array of the given shape (empty: 0-d). */
    public static NpyArray of(float[] values, long... shape) {
        ByteBuffer b = allocate(NpyDtype.FLOAT32, shape, values.length);
        b.asFloatBuffer().put(values);
        return new NpyArray(NpyDtype.FLOAT32, shape, b);
    }

    /** Copies int64 {@code values} (C order) as an array of the given shape (empty: 0-d). */
    public static NpyArray of(long[] values, long... shape) {
        ByteBuffer b = allocate(NpyDtype.INT64, shape, values.length);
        b.asLongBuffer().put(values);
        return new NpyArray(NpyDtype.INT64, shape, b);
    }

    /** Copies int32 {@code values} (C order) as an array of the given shape (empty: 0-d). */
    public static NpyArray of(int[] values, long... shape) {
        ByteBuffer b = allocate(NpyDtype.INT32, shape, values.length);
        b.asIntBuffer().put(values);
        return new NpyArray(NpyDtype.INT32, shape, b);
    }

    /**
     * Copies an ND4J array of type DOUBLE, FLOAT, LONG or INT, reading it in C order whatever its
     * ordering, strides or offset (views, transposes and slices included). {@code array} is not
     * modified.
     */
    public static NpyArray of(INDArray array) {
        NpyDtype dtype = NpyDtype.of(array.dataType());
        long[] shape = array.shape();
        if (array.isEmpty() || array.length() == 0) {
            return new NpyArray(dtype, shape, ByteBuffer.allocate(0));
        }
        INDArray c = array.dup('c');
        int n = Math.toIntExact(c.length());
        int from = Math.toIntExact(c.offset());
        ByteBuffer b = allocate(dtype, shape, n);
        switch (dtype) {
            case FLOAT64 -> b.asDoubleBuffer().put(c.data().asDouble(), from, n);
            case FLOAT32 -> b.asFloatBuffer().put(c.data().asFloat(), from, n);
            case INT64 -> b.asLongBuffer().put(c.data().asLong(), from, n);
            case INT32 -> b.asIntBuffer().put(c.data().asInt(), from, n);
        }
        return new NpyArray(dtype, shape, b);
    }

    /**
     * A new C-ordered ND4J array with the same shape and exactly the same values: FLOAT64 gives
     * DOUBLE, FLOAT32 FLOAT, INT64 LONG, INT32 INT.
     */
    public INDArray toINDArray() {
        long[] s = shape();
        DataType type = dtype.nd4jType();
        ByteBuffer b = data();
        int n = Math.toIntExact(size());
        return switch (dtype) {
            case FLOAT64 -> {
                double[] v = new double[n];
                b.asDoubleBuffer().get(v);
                yield Nd4j.create(v, s, type);
            }
            case FLOAT32 -> {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                yield Nd4j.create(v, s, type);
            }
            case INT64 -> Nd4j.create(toLongArray(), s, type);
            case INT32 -> {
                int[] v = new int[n];
                b.asIntBuffer().get(v);
                yield Nd4j.create(v, s, type);
            }
        };
    }

    /**
     * The elements in C order as doubles: exact for FLOAT64, FLOAT32 and INT32; INT64 values beyond
     * 2^53 in magnitude are rounded to the nearest double.
     */
    public double[] toDoubleArray() {
        int n = Math.toIntExact(size());
        double[] out = new double[n];
        ByteBuffer b = data();
        switch (dtype) {
            case FLOAT64 -> b.asDoubleBuffer().get(out);
            case FLOAT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getFloat(4 * i);
                }
            }
            case INT64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getLong(8 * i);
                }
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(4 * i);
                }
            }
        }
        return out;
    }

    /** The elements in C order as longs; only for INT64 and INT32 (throws for floating point). */
    public long[] toLongArray() {
        if (dtype.isFloatingPoint()) {
            throw new IllegalStateException("toLongArray needs an integer dtype, this array is " + dtype);
        }
        int n = Math.toIntExact(size());
        long[] out = new long[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) {
            out[i] = dtype == NpyDtype.INT64 ? b.getLong(8 * i) : b.getInt(4 * i);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray other && dtype == other.dtype
                && Arrays.equals(shape, other.shape) && data.equals(other.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + data.hashCode();
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + ", shape=" + NpyHeader.shapeRepr(shape) + "]";
    }

    /** {@code product(shape)}; throws IllegalArgumentException on a negative dimension or overflow. */
    static long elementCount(long[] shape) {
        long n = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            try {
                n = Math.multiplyExact(n, dim);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                        + " has more than " + Long.MAX_VALUE + " elements", e);
            }
        }
        return n;
    }

    private static long byteCount(NpyDtype dtype, long[] shape) {
        long n = elementCount(shape);
        return n > Long.MAX_VALUE / dtype.itemSize() ? Long.MAX_VALUE : n * dtype.itemSize();
    }

    private static ByteBuffer allocate(NpyDtype dtype, long[] shape, int valueCount) {
        long n = elementCount(shape);
        if (n != valueCount) {
            throw new IllegalArgumentException(valueCount + " values do not fill shape "
                    + NpyHeader.shapeRepr(shape) + " of " + n + " elements");
        }
        if (byteCount(dtype, shape) > MAX_BYTES) {
            throw new IllegalArgumentException("shape " + NpyHeader.shapeRepr(shape) + " is too large");
        }
        return ByteBuffer.allocate(valueCount * dtype.itemSize()).order(ByteOrder.LITTLE_ENDIAN);
    }
}
