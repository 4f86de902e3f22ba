package org.ntklab.core.data.npy;

import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The element types this package reads and writes. Written files are always little-endian
 * ({@code '<f8'}, ...); the reader also accepts the big-endian variants ({@code '>f8'}, ...) and
 * converts them.
 */
public enum NpyDtype {
    /** IEEE 754 binary64, NumPy {@code float64}, ND4J {@code DOUBLE}. */
    FLOAT64('f', 8, DataType.DOUBLE),
    /** IEEE 754 binary32, NumPy {@code float32}, ND4J {@code FLOAT}. */
    FLOAT32('f', 4, DataType.FLOAT),
    /** Two's-complement 64-bit integer, NumPy {@code int64}, ND4J {@code LONG}. */
    INT64('i', 8, DataType.LONG),
    /** Two's-complement 32-bit integer, NumPy {@code int32}, ND4J {@code INT}. */
    INT32('i', 4, DataType.INT);

    private final char kind;
    private final int itemSize;
    private final DataType nd4jType;

    NpyDtype(char kind, int itemSize, DataType nd4jType) {
        this.kind = kind;
        this.itemSize = itemSize;
        this.nd4jType = nd4jType;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** The ND4J data type holding the same values exactly. */
    public DataType nd4jType() {
        return nd4jType;
    }

    /** True for FLOAT64 and FLOAT32. */
    public boolean isFloatingPoint() {
        return kind == 'f';
    }

    /** The NumPy descr string in the given byte order, e.g. {@code "<f8"}. */
    public String descr(ByteOrder order) {
        return (order == ByteOrder.LITTLE_ENDIAN ? "<" : ">") + kind + itemSize;
    }

    /** The dtype storing ND4J's {@code type} exactly; throws for other types (HALF, BOOL, ...). */
    public static NpyDtype of(DataType type) {
        for (NpyDtype d : values()) {
            if (d.nd4jType == type) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "ND4J data type " + type + " has no .npy mapping; supported: DOUBLE, FLOAT, LONG, INT");
    }

    /** The dtype whose type code (descr without its byte-order character) is {@code code}, or null. */
    static NpyDtype fromTypeCode(String code) {
        for (NpyDtype d : values()) {
            if (code.equals(d.kind + Integer.toString(d.itemSize))) {
                return d;
            }
        }
        return null;
    }
}
