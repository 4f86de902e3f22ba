package org.ntklab.core.data.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NpyArrayTest {

    @Test
    void exportsATransposeInCOrder() {
        INDArray m = Nd4j.create(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, new long[] {3, 4},
                DataType.DOUBLE);
        NpyArray t = NpyArray.of(m.transpose());
        assertArrayEquals(new long[] {4, 3}, t.shape());
        assertArrayEquals(new double[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, t.toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, NpyArray.of(m).toDoubleArray());
    }

    @Test
    void exportsStridedOffsetViews() {
        INDArray m = Nd4j.create(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, new long[] {3, 4},
                DataType.DOUBLE);
        INDArray slice = m.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(1, 2, 4));
        NpyArray s = NpyArray.of(slice);
        assertArrayEquals(new long[] {2, 2}, s.shape());
        assertArrayEquals(new double[] {5, 7, 9, 11}, s.toDoubleArray());
        NpyArray column = NpyArray.of(m.getColumn(2));
        assertArrayEquals(new long[] {3}, column.shape());
        assertArrayEquals(new double[] {2, 6, 10}, column.toDoubleArray());
        NpyArray element = NpyArray.of(m.getScalar(2, 1));
        assertArrayEquals(new long[0], element.shape());
        assertArrayEquals(new double[] {9}, element.toDoubleArray());
    }

    @Test
    void exportsFortranOrderedAndPermutedFloatArrays() {
        float[] values = new float[24];
        for (int k = 0; k < values.length; k++) {
            values[k] = k;
        }
        INDArray c = Nd4j.create(values, new long[] {2, 3, 4}, DataType.FLOAT);
        INDArray p = c.permute(2, 0, 1);
        NpyArray exported = NpyArray.of(p);
        assertEquals(NpyDtype.FLOAT32, exported.dtype());
        assertArrayEquals(new long[] {4, 2, 3}, exported.shape());
        double[] flat = exported.toDoubleArray();
        int k = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                for (int l = 0; l < 3; l++) {
                    assertEquals(c.getDouble(j, l, i), flat[k++], "element " + i + "," + j + "," + l);
                }
            }
        }
        INDArray f = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'f');
        assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, NpyArray.of(f).toDoubleArray());
    }

    @Test
    void importsWithTheMatchingNd4jType() {
        INDArray d = NpyArray.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2).toINDArray();
        assertEquals(DataType.DOUBLE, d.dataType());
        assertArrayEquals(new long[] {3, 2}, d.shape());
        assertEquals(6.0, d.getDouble(2, 1));
        assertEquals(DataType.FLOAT, NpyArray.of(new float[] {1}, 1).toINDArray().dataType());
        INDArray l = NpyArray.of(new long[] {Long.MAX_VALUE}).toINDArray();
        assertEquals(DataType.LONG, l.dataType());
        assertEquals(0, l.rank());
        assertEquals(Long.MAX_VALUE, l.getLong(0));
        assertEquals(DataType.INT, NpyArray.of(new int[] {1, 2}, 2).toINDArray().dataType());
        INDArray empty = NpyArray.of(new double[0], 0, 3).toINDArray();
        assertArrayEquals(new long[] {0, 3}, empty.shape());
        assertEquals(NpyArray.of(new double[0], 0, 3), NpyArray.of(empty));
    }

    @Test
    void rejectsNd4jTypesWithoutAMapping() {
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(Nd4j.create(DataType.HALF, 2)));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(Nd4j.create(DataType.BOOL, 2)));
    }

    @Test
    void factoriesValidateTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new double[] {1, 2, 3}, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new double[0], -1));
        assertThrows(IllegalArgumentException.class,
                () -> new NpyArray(NpyDtype.FLOAT32, new long[] {3}, ByteBuffer.allocate(8)));
    }

    @Test
    void isImmutable() {
        long[] shape = {2, 2};
        double[] values = {1, 2, 3, 4};
        NpyArray a = NpyArray.of(values, shape);
        shape[0] = 9;
        values[0] = 9;
        a.shape()[1] = 9;
        assertArrayEquals(new long[] {2, 2}, a.shape());
        assertEquals(1.0, a.toDoubleArray()[0]);
        assertThrows(ReadOnlyBufferException.class, () -> a.data().put(0, (byte) 1));
    }

    @Test
    void convertsToJavaArrays() {
        assertArrayEquals(new double[] {1.5, -2}, NpyArray.of(new float[] {1.5f, -2f}, 2).toDoubleArray());
        assertArrayEquals(new double[] {-3, 4}, NpyArray.of(new int[] {-3, 4}, 2).toDoubleArray());
        assertArrayEquals(new long[] {Long.MIN_VALUE}, NpyArray.of(new long[] {Long.MIN_VALUE}, 1).toLongArray());
        assertArrayEquals(new long[] {-7}, NpyArray.of(new int[] {-7}, 1).toLongArray());
        assertThrows(IllegalStateException.class, () -> NpyArray.of(new double[] {1}, 1).toLongArray());
    }

}
