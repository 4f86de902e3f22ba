package org.ntklab.core.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused loops against ND4J's own element-wise ops, on lengths that split over threads and end
 * in a partial chunk. Products of two or three doubles round once or twice: equality is exact for
 * a single product and within a few ulp for the fused sum.
 */
class ElementwiseTest {

    /** Longer than two threads' minimum, not a multiple of the chunk or alignment. */
    private static final int LONG = 2 * Parallel.MIN_PER_THREAD + 4099;
    /** A fused x a + b c d against ND4J's separately rounded ops: a few ulp of values ~1. */
    private static final double FUSED_TOLERANCE = 1e-15;

    @Test
    void everyIndexIsVisitedExactlyOnceWhateverTheSplit() {
        for (int length : new int[] {0, 1, 7, Parallel.MIN_PER_THREAD, LONG}) {
            AtomicIntegerArray visits = new AtomicIntegerArray(length);
            Parallel.forRange(length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    visits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < length; i++) {
                assertThat(visits.get(i)).as("index %d of %d", i, length).isEqualTo(1);
            }
        }
    }

    @Test
    void aFailingRangeIsRethrownToTheCaller() {
        assertThatThrownBy(() -> Parallel.forRange(LONG, (from, to) -> {
            if (to == LONG) {
                throw new IllegalStateException("last range failed");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("last range failed");
    }

    @Test
    void multiplyAndProductEqualNd4jExactly() {
        for (DataType dtype : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray a = Nd4j.rand(DataType.DOUBLE, 3, LONG / 3).subi(0.5).castTo(dtype);
            INDArray b = Nd4j.rand(DataType.DOUBLE, 3, LONG / 3).subi(0.5).castTo(dtype);
            INDArray expected = a.mul(b);
            INDArray out = Nd4j.create(dtype, 3, LONG / 3);
            Elementwise.product(out, a, b);
            assertThat(out.equalsWithEps(expected, 0.0)).as("product %s", dtype).isTrue();
            INDArray inPlace = a.dup();
            Elementwise.multiply(inPlace, b);
            assertThat(inPlace.equalsWithEps(expected, 0.0)).as("multiply %s", dtype).isTrue();
        }
    }

    @Test
    void multiplyAddTripleIsTheRoperatorSignal() {
        INDArray[] x = new INDArray[5];
        for (int i = 0; i < x.length; i++) {
            x[i] = Nd4j.rand(DataType.DOUBLE, LONG).subi(0.5);
        }
        INDArray expected = x[0].mul(x[1]).addi(x[2].mul(x[3]).muli(x[4]));
        INDArray target = x[0].dup();
        Elementwise.multiplyAddTriple(target, x[1], x[2], x[3], x[4]);
        assertThat(target.sub(expected).amaxNumber().doubleValue()).isLessThan(FUSED_TOLERANCE);
    }

    @Test
    void multiplyRowsRepeatedScalesEachBlockOfCRowsByItsInputsRow() {
        int n = 5;
        int c = 3;
        int m = Parallel.MIN_PER_THREAD / 4 + 13; // the ranges cut rows in the middle
        INDArray rows = Nd4j.rand(DataType.DOUBLE, (long) n * c, m);
        INDArray d = Nd4j.rand(DataType.DOUBLE, n, m);
        INDArray expected = rows.dup();
        for (int r = 0; r < n * c; r++) {
            expected.getRow(r).muli(d.getRow(r / c));
        }
        Elementwise.multiplyRowsRepeated(rows, d, c);
        assertThat(rows.equalsWithEps(expected, 0.0)).isTrue();
        assertThatThrownBy(() -> Elementwise.multiplyRowsRepeated(Nd4j.ones(DataType.DOUBLE, 4, m), d, c))
                .hasMessageContaining("rows must have shape");
    }

    @Test
    void outerHadamardEqualsAGemmThenAProduct() {
        int rows = 7;
        int cols = Parallel.MIN_PER_THREAD / 3 + 5;
        INDArray u = Nd4j.rand(DataType.DOUBLE, rows, 1).subi(0.5);
        INDArray v = Nd4j.rand(DataType.DOUBLE, 1, cols).subi(0.5);
        INDArray factor = Nd4j.rand(DataType.DOUBLE, rows, cols);
        INDArray expected = u.mmul(v).muli(0.75).muli(factor);
        INDArray target = Nd4j.create(DataType.DOUBLE, rows, cols);
        Elementwise.outerHadamard(target, 0.75, u, v, factor);
        // (alpha u_i v_j) f_ij against (alpha (u_i v_j)) f_ij: two roundings in another order
        assertThat(target.sub(expected).amaxNumber().doubleValue()).isLessThan(FUSED_TOLERANCE);
        assertThatThrownBy(() -> Elementwise.outerHadamard(target, 1.0, v, u, factor))
                .hasMessageContaining("does not fit");
    }

    @Test
    void multiplyAddAndTheExpandedGramProductAreTheKernelsHadamardSum() {
        int n = 7;
        int c = 3;
        INDArray term = Nd4j.rand(DataType.DOUBLE, n * c, n * c).subi(0.5);
        INDArray gram = Nd4j.rand(DataType.DOUBLE, n, n).subi(0.5);
        INDArray start = Nd4j.rand(DataType.DOUBLE, n * c, n * c);
        INDArray expected = start.dup();
        for (int r = 0; r < n * c; r++) {
            for (int q = 0; q < n * c; q++) {
                expected.putScalar(r, q, start.getDouble(r, q) + term.getDouble(r, q) * gram.getDouble(r / c, q / c));
            }
        }
        INDArray target = start.dup();
        Elementwise.multiplyAddExpanded(target, term, gram, c);
        // x + a b fused (one rounding) against two roundings
        assertThat(target.sub(expected).amaxNumber().doubleValue()).isLessThan(FUSED_TOLERANCE);

        INDArray a = Nd4j.rand(DataType.DOUBLE, LONG).subi(0.5);
        INDArray b = Nd4j.rand(DataType.DOUBLE, LONG).subi(0.5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, LONG);
        INDArray want = x.add(a.mul(b));
        Elementwise.multiplyAdd(x, a, b);
        assertThat(x.sub(want).amaxNumber().doubleValue()).isLessThan(FUSED_TOLERANCE);
    }

    @Test
    void residualsAndTheirSquaredSumEqualNd4j() {
        for (DataType dtype : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray f = Nd4j.rand(DataType.DOUBLE, 3, LONG / 3).castTo(dtype);
            INDArray y = Nd4j.rand(DataType.DOUBLE, 3, LONG / 3).castTo(dtype);
            INDArray r = f.castTo(DataType.DOUBLE).sub(y.castTo(DataType.DOUBLE));
            double sum = r.mul(r).sumNumber().doubleValue();
            // a sum of LONG positive terms in another order: within LONG unit roundoffs of the sum
            assertThat(Elementwise.sumSquaredDifference(f, y)).as("%s", dtype)
                    .isCloseTo(sum, org.assertj.core.api.Assertions.within(LONG * 0x1p-53 * sum));
            INDArray out = Nd4j.create(dtype, 3, LONG / 3);
            Elementwise.scaledDifference(out, f, y, 0.25);
            INDArray want = r.muli(0.25).castTo(dtype);
            assertThat(out.equalsWithEps(want, 0.0)).as("%s", dtype).isTrue();
        }
    }

    @Test
    void vectorAndScalarLoopsAgree() {
        INDArray[] x = new INDArray[5];
        for (int i = 0; i < x.length; i++) {
            x[i] = Nd4j.rand(DataType.DOUBLE, LONG).subi(0.5);
        }
        INDArray vector = x[0].dup();
        Elementwise.multiplyAddTriple(vector, x[1], x[2], x[3], x[4]);
        INDArray scalar = SimdPaths.scalar(() -> {
            INDArray t = x[0].dup();
            Elementwise.multiplyAddTriple(t, x[1], x[2], x[3], x[4]);
            return t;
        });
        assertThat(vector.sub(scalar).amaxNumber().doubleValue()).isLessThan(FUSED_TOLERANCE);
        double[] e = x[1].mul(40).toDoubleVector();
        double[] scalarExp = e.clone();
        SimdPaths.scalar(() -> {
            Elementwise.exp(scalarExp, scalarExp.length);
            return null;
        });
        Elementwise.exp(e, e.length);
        assertThat(e).as("exp: the same operations lane-wise give the same bits").containsExactly(scalarExp);
        for (int i = 0; i < e.length; i += 97) { // Math.exp and ours are each within 1 ulp of e^x
            double want = Math.exp(x[1].getDouble(i) * 40);
            assertThat(Math.abs(e[i] - want)).isLessThanOrEqualTo(2 * Math.ulp(want));
        }
    }

    /**
     * A thin product whose terms are summed in consecutive calls (combineAdd and combine4Add
     * continuing from the first call's outputs) has the bits of one combine over all the terms, on
     * both paths and at every length class (eight vectors, one vector, scalar tail); combine4 is
     * four combines. A garbage value already in out is ignored by combine and kept by the Add forms.
     */
    @Test
    void sumsSplitOverCallsHaveTheBitsOfOneCall() {
        java.util.Random random = new java.util.Random(7);
        int terms = 11;
        for (int len : new int[] {1, 7, 8, 63, 64, 65, 130, 517}) {
            int stride = len + 3;
            double[] rows = random.doubles((long) terms * stride, -2, 2).toArray();
            double[] coef = random.doubles(4L * terms, -2, 2).toArray(); // output q, term t at q + 4 t
            for (boolean scalarPath : new boolean[] {false, true}) {
                java.util.function.Supplier<double[][]> compute = () -> {
                    double[] whole = new double[4 * stride];
                    java.util.Arrays.fill(whole, Double.NaN);
                    for (int q = 0; q < 4; q++) {
                        Elementwise.combine(whole, q * stride, coef, q, 4, terms, rows, 0, stride, len);
                    }
                    double[] four = new double[4 * stride];
                    java.util.Arrays.fill(four, Double.NaN);
                    Elementwise.combine4(four, 0, stride, coef, 0, 1, 4, terms, rows, 0, stride, len);
                    double[] split = new double[4 * stride];
                    java.util.Arrays.fill(split, Double.NaN);
                    Elementwise.combine4(split, 0, stride, coef, 0, 1, 4, 3, rows, 0, stride, len); // t = 0..2
                    Elementwise.combine4Add(split, 0, stride, coef, 12, 1, 4, 5, rows, 3 * stride, stride, len); // 3..7
                    for (int q = 0; q < 4; q++) { // t = 8..10
                        Elementwise.combineAdd(split, q * stride, coef, q + 32, 4, 3, rows, 8 * stride, stride, len);
                    }
                    return new double[][] {whole, four, split};
                };
                double[][] r = scalarPath ? SimdPaths.scalar(compute) : compute.get();
                for (int q = 0; q < 4; q++) {
                    double[] whole = java.util.Arrays.copyOfRange(r[0], q * stride, q * stride + len);
                    assertThat(whole).as("len %d", len).doesNotContain(Double.NaN);
                    assertThat(java.util.Arrays.copyOfRange(r[1], q * stride, q * stride + len)).as("combine4, len %d", len)
                            .containsExactly(whole);
                    assertThat(java.util.Arrays.copyOfRange(r[2], q * stride, q * stride + len)).as("split, len %d", len)
                            .containsExactly(whole);
                }
            }
        }
        double[] out = {5.0};
        Elementwise.combineAdd(out, 0, new double[] {2.0}, 0, 1, 1, new double[] {3.0}, 0, 1, 1);
        assertThat(out).containsExactly(11.0);
    }

    @Test
    void operandsOfDifferentLengthsAreRejected() {
        assertThatThrownBy(() -> Elementwise.multiply(Nd4j.ones(DataType.DOUBLE, 4), Nd4j.ones(DataType.DOUBLE, 5)))
                .hasMessageContaining("equal lengths");
    }
}
