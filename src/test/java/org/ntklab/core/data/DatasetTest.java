package org.ntklab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class DatasetTest {

    private static final double[][] X = {{1, 2}, {3, 4}, {5, 6}};
    private static final double[][] Y = {{0.5}, {-1}, {0.1}};

    @Test
    void copiesCallerDataInTheRequestedType() {
        double[][] x = {{1, 2}, {3, 4}, {5, 6}};
        Dataset d = Dataset.of(x, Y, DataType.DOUBLE);
        x[0][0] = 99;
        assertEquals(3, d.n());
        assertEquals(2, d.inputDim());
        assertEquals(1, d.outputDim());
        assertEquals(DataType.DOUBLE, d.dataType());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, d.x().data().asDouble());
        assertEquals(0.1, d.y().getDouble(2, 0), 0.0);
        Dataset f = Dataset.of(X, Y, DataType.FLOAT);
        assertEquals(DataType.FLOAT, f.y().dataType());
        assertEquals(0.1f, f.y().getFloat(2, 0), 0.0f);
    }

    @Test
    void ofRejectsBadInputWithClearMessages() {
        assertMessage(() -> Dataset.of(new double[0][], new double[0][], DataType.DOUBLE), "x has no rows");
        assertMessage(() -> Dataset.of(X, new double[][] {{1}, {2}}, DataType.DOUBLE), "x has 3 rows but y has 2");
        assertMessage(() -> Dataset.of(new double[][] {{1, 2}, {3}}, new double[][] {{1}, {2}}, DataType.DOUBLE),
                "x row 1 has length 1, expected 2");
        assertMessage(() -> Dataset.of(new double[][] {{}}, new double[][] {{1}}, DataType.DOUBLE), "x row 0 is empty");
        assertMessage(() -> Dataset.of(X, new double[][] {{1}, {Double.NaN}, {2}}, DataType.DOUBLE),
                "y[1][0] is NaN: values must be finite");
        assertMessage(() -> Dataset.of(new double[][] {{1, Double.NEGATIVE_INFINITY}}, new double[][] {{1}},
                DataType.DOUBLE), "x[0][1] is -Infinity");
        assertMessage(() -> Dataset.of(X, new double[][] {{1}, null, {2}}, DataType.DOUBLE), "y row 1 has length null");
        assertMessage(() -> Dataset.of(X, Y, DataType.INT), "DOUBLE or FLOAT, got INT");
        assertMessage(() -> Dataset.of(null, Y, DataType.DOUBLE), "must not be null");
    }

    @Test
    void constructorChecksShapesAndTypes() {
        assertMessage(() -> new Dataset(Nd4j.create(DataType.DOUBLE, 3), Nd4j.create(DataType.DOUBLE, 3, 1)),
                "must be matrices");
        assertMessage(() -> new Dataset(Nd4j.create(DataType.DOUBLE, 3, 2), Nd4j.create(DataType.DOUBLE, 4, 1)),
                "x has 3 rows but y has 4");
        assertMessage(() -> new Dataset(Nd4j.create(DataType.DOUBLE, 3, 2), Nd4j.create(DataType.FLOAT, 3, 1)),
                "x is DOUBLE but y is FLOAT");
        assertMessage(() -> new Dataset(Nd4j.create(DataType.INT, 3, 2), Nd4j.create(DataType.INT, 3, 1)),
                "DOUBLE or FLOAT, got INT");
        assertMessage(() -> new Dataset(Nd4j.create(DataType.DOUBLE, 3, 0), Nd4j.create(DataType.DOUBLE, 3, 1)),
                "n, d, c >= 1");
        assertMessage(() -> new Dataset(null, Nd4j.create(DataType.DOUBLE, 3, 1)), "must not be null");
    }

    private static void assertMessage(Executable action, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}
