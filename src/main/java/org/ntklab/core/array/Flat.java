package org.ntklab.core.array;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access, in C order, to the native memory of a contiguous C-ordered {@link INDArray}
 * (views included), for fused element-wise loops that ND4J has no single op for.
 *
 * <p>Writes through {@link #set} change the array (and every view aliasing the same memory).
 * Float arrays are read into and written from double: the arithmetic of a loop runs in double.
 */
public abstract sealed class Flat permits Flat.Doubles, Flat.Floats {

    private final long length;

    private Flat(long length) {
        this.length = length;
    }

    /**
     * Wraps {@code array}, which must be C-ordered and contiguous (a fresh array, a reshaped
     * contiguous range, a row of a C-ordered matrix) of type DOUBLE or FLOAT.
     *
     * @throws IllegalArgumentException for another data type or a strided view
     */
    public static Flat of(INDArray array) {
        requireContiguous(array);
        int offset = Math.toIntExact(array.offset());
        int length = Math.toIntExact(array.length());
        if (array.dataType() == DataType.DOUBLE) {
            // the memory asNioDouble() views, from the array's offset (asNio() returns a shared
            // instance: duplicated before its position is set)
            ByteBuffer all = array.data().asNio().duplicate();
            ByteBuffer bytes = all.position(Math.multiplyExact(offset, Double.BYTES)).slice()
                    .limit(Math.multiplyExact(length, Double.BYTES)).order(ByteOrder.nativeOrder());
            return new Doubles(bytes);
        }
        if (array.dataType() == DataType.FLOAT) {
            FloatBuffer all = array.data().asNioFloat();
            return new Floats(all.position(offset).slice().limit(length));
        }
        throw new IllegalArgumentException("expected a DOUBLE or FLOAT array, got " + array.dataType());
    }

    /** Whether {@code array} can be wrapped: C-ordered with unit stride along its flattened elements. */
    public static boolean isContiguous(INDArray array) {
        if (array.length() <= 1) {
            return true;
        }
        long[] shape = array.shape();
        long[] stride = array.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    private static void requireContiguous(INDArray array) {
        if (!isContiguous(array)) {
            throw new IllegalArgumentException("array is not C-contiguous: shape "
                    + java.util.Arrays.toString(array.shape()) + ", stride " + java.util.Arrays.toString(array.stride()));
        }
    }

    public final long length() {
        return length;
    }

    /** Whether the elements are float64 ({@link #doubles()}) rather than float32 ({@link #floats()}). */
    public boolean isDouble() {
        return this instanceof Doubles;
    }

    public abstract double get(int i);

    /**
     * The elements' bytes, in the platform's byte order, as a direct buffer whose index 0 is the
     * array's first byte (DOUBLE arrays only): what the Vector API loads from and stores into.
     */
    public ByteBuffer bytes() {
        throw new IllegalStateException("not a DOUBLE array");
    }

    /** The elements as a direct buffer whose index 0 is the array's first element (DOUBLE arrays only). */
    public DoubleBuffer doubles() {
        throw new IllegalStateException("not a DOUBLE array");
    }

    /** The elements as a direct buffer whose index 0 is the array's first element (FLOAT arrays only). */
    public FloatBuffer floats() {
        throw new IllegalStateException("not a FLOAT array");
    }

    public abstract void set(int i, double value);

    /** Copies elements [offset, offset + len) into {@code to} (widened for float), and returns it. */
    public abstract double[] read(int offset, double[] to, int len);

    /** Copies elements [offset, offset + len) into {@code to[toOffset, toOffset + len)} (widened for float). */
    public abstract void read(int offset, double[] to, int toOffset, int len);

    /** Writes {@code from[0, len)} to elements [offset, offset + len) (rounded for float). */
    public abstract void write(int offset, double[] from, int len);

    /** Copies the elements into a new {@code double[]}, in C order. */
    public double[] toArray() {
        int n = Math.toIntExact(length);
        return read(0, new double[n], n);
    }

    static final class Doubles extends Flat {
        private final ByteBuffer bytes;
        private final DoubleBuffer buffer;

        Doubles(ByteBuffer bytes) {
            super(bytes.limit() / Double.BYTES);
            this.bytes = bytes;
            this.buffer = bytes.asDoubleBuffer();
        }

        @Override
        public ByteBuffer bytes() {
            return bytes;
        }

        @Override
        public double get(int i) {
            return buffer.get(i);
        }

        @Override
        public void set(int i, double value) {
            buffer.put(i, value);
        }

        @Override
        public DoubleBuffer doubles() {
            return buffer;
        }

        @Override
        public double[] read(int offset, double[] to, int len) {
            buffer.get(offset, to, 0, len);
            return to;
        }

        @Override
        public void read(int offset, double[] to, int toOffset, int len) {
            buffer.get(offset, to, toOffset, len);
        }

        @Override
        public void write(int offset, double[] from, int len) {
            buffer.put(offset, from, 0, len);
        }
    }

    static final class Floats extends Flat {
        private final FloatBuffer buffer;

        Floats(FloatBuffer buffer) {
            super(buffer.limit());
            this.buffer = buffer;
        }

        @Override
        public double get(int i) {
            return buffer.get(i);
        }

        @Override
        public void set(int i, double value) {
            buffer.put(i, (float) value);
        }

        @Override
        public FloatBuffer floats() {
            return buffer;
        }

        @Override
        public double[] read(int offset, double[] to, int len) {
            float[] staged = staging(len);
            buffer.get(offset, staged, 0, len);
            for (int i = 0; i < len; i++) {
                to[i] = staged[i];
            }
            return to;
        }

        @Override
        public void read(int offset, double[] to, int toOffset, int len) {
            float[] staged = staging(len);
            buffer.get(offset, staged, 0, len);
            for (int i = 0; i < len; i++) {
                to[toOffset + i] = staged[i];
            }
        }

        @Override
        public void write(int offset, double[] from, int len) {
            float[] staged = staging(len);
            for (int i = 0; i < len; i++) {
                staged[i] = (float) from[i];
            }
            buffer.put(offset, staged, 0, len);
        }

        /** A per-thread float[] of at least len elements for bulk copies. */
        private static float[] staging(int len) {
            float[] staged = STAGING.get();
            if (staged.length < len) {
                staged = new float[len];
                STAGING.set(staged);
            }
            return staged;
        }

        private static final ThreadLocal<float[]> STAGING = ThreadLocal.withInitial(() -> new float[4096]);
    }
}
