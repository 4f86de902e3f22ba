package org.ntklab.core.data.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.ntklab.core.rng.SeededRandom;

class NpyTest {

    private static final long SEED = 20_240_501L;

    // ---- exact bytes: NumPy 2.x wrote the golden files with np.save (see generate_fixtures.py)

    @Test
    void writesTheBytesNumPyWritesFor2dFloat64() throws IOException {
        NpyArray a = NpyArray.of(new double[][] {{0, 1, 2}, {3, 4, 5}});
        byte[] expectedPreamble = ("\u0093NUMPY\u0001\u0000v\u0000"
                + "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
                + " ".repeat(58) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] written = Npy.toBytes(a);
        assertEquals(128, expectedPreamble.length);
        assertArrayEquals(expectedPreamble, Arrays.copyOf(written, 128));
        assertArrayEquals(fixture("golden_f8_2x3.npy"), written);
    }

    @Test
    void writesTheBytesNumPyWritesForEveryDtypeAndRank() throws IOException {
        assertArrayEquals(fixture("golden_f4_5.npy"),
                Npy.toBytes(NpyArray.of(new float[] {0.5f, -1f, 2.25f, 1e-3f, 3e38f}, 5)));
        assertArrayEquals(fixture("golden_i8_scalar.npy"), Npy.toBytes(NpyArray.of(new long[] {-42})));
        int[] ints = new int[24];
        Arrays.setAll(ints, i -> i - 12);
        assertArrayEquals(fixture("golden_i4_2x3x4.npy"), Npy.toBytes(NpyArray.of(ints, 2, 3, 4)));
        assertArrayEquals(fixture("golden_f8_0x3.npy"), Npy.toBytes(NpyArray.of(new double[0], 0, 3)));
        assertArrayEquals(fixture("golden_f8_12345678901x0.npy"),
                Npy.toBytes(NpyArray.of(new double[0], 12_345_678_901L, 0)));
    }

    @Test
    void preambleIsAMultipleOf64ForEveryRank() {
        for (int rank = 0; rank <= 32; rank++) {
            long[] shape = new long[rank];
            Arrays.fill(shape, 1);
            byte[] bytes = Npy.toBytes(NpyArray.of(new double[] {1.5}, shape));
            assertEquals(0, (bytes.length - 8) % 64, "rank " + rank);
            assertEquals('\n', bytes[bytes.length - 9], "rank " + rank);
        }
    }

    // ---- round trips

    @Test
    void roundTripsEveryDtypeAndRank() throws IOException {
        SeededRandom random = SeededRandom.stream(SEED, 1);
        long[][] shapes = {{}, {1}, {7}, {3, 4}, {2, 3, 4}, {0}, {2, 0, 3}};
        for (long[] shape : shapes) {
            int n = (int) NpyArray.elementCount(shape);
            double[] d = new double[n];
            float[] f = new float[n];
            long[] l = new long[n];
            int[] i = new int[n];
            for (int k = 0; k < n; k++) {
                d[k] = random.nextGaussian();
                f[k] = (float) random.nextGaussian();
                l[k] = Double.doubleToRawLongBits(random.nextDouble()) * (k % 2 == 0 ? 1 : -1);
                i[k] = (int) l[k];
            }
            for (NpyArray a : new NpyArray[] {NpyArray.of(d, shape), NpyArray.of(f, shape),
                    NpyArray.of(l, shape), NpyArray.of(i, shape)}) {
                NpyArray back = Npy.read(new ByteArrayInputStream(Npy.toBytes(a)));
                assertEquals(a, back, a.toString());
                assertArrayEquals(shape, back.shape());
                assertEquals(a, NpyArray.of(a.toINDArray()), "via INDArray " + a);
            }
        }
    }

    @Test
    void readConsumesExactlyOneArray() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyArray first = NpyArray.of(new double[] {1, 2, 3}, 3);
        NpyArray second = NpyArray.of(new int[] {4, 5}, 2);
        Npy.write(out, first);
        Npy.write(out, second);
        InputStream in = new ByteArrayInputStream(out.toByteArray());
        assertEquals(first, Npy.read(in));
        assertEquals(second, Npy.read(in));
        assertEquals(-1, in.read());
    }

    @Test
    void preservesNanPayloadsAndSignedZeroBitForBit() throws IOException {
        long[] doubleBits = {0x7ff0000000000001L, 0xfff8000000000abcL, 0x7ff8000000000000L,
            0x8000000000000000L, 0x0000000000000001L, 0xfff0000000000000L};
        double[] doubles = new double[doubleBits.length];
        Arrays.setAll(doubles, k -> Double.longBitsToDouble(doubleBits[k]));
        int[] floatBits = {0x7f800001, 0xffc00123, 0x80000000, 0x00000001};
        float[] floats = new float[floatBits.length];
        for (int k = 0; k < floats.length; k++) {
            floats[k] = Float.intBitsToFloat(floatBits[k]);
        }
        NpyArray d = Npy.read(new ByteArrayInputStream(Npy.toBytes(NpyArray.of(doubles, 2, 3))));
        NpyArray f = Npy.read(new ByteArrayInputStream(Npy.toBytes(NpyArray.of(floats, 4))));
        NpyArray dViaNd4j = NpyArray.of(d.toINDArray().transpose().transpose());
        for (int k = 0; k < doubleBits.length; k++) {
            assertEquals(doubleBits[k], d.data().getLong(8 * k), "double " + k);
            assertEquals(doubleBits[k], dViaNd4j.data().getLong(8 * k), "double via ND4J " + k);
        }
        NpyArray fViaNd4j = NpyArray.of(f.toINDArray());
        for (int k = 0; k < floatBits.length; k++) {
            assertEquals(floatBits[k], f.data().getInt(4 * k), "float " + k);
            assertEquals(floatBits[k], fViaNd4j.data().getInt(4 * k), "float via ND4J " + k);
        }
    }

    // ---- files NumPy wrote in other byte orders, layouts and versions

    @Test
    void readsBigEndianFiles() throws IOException {
        NpyArray f4 = read("be_f4_2x3.npy");
        assertEquals(NpyDtype.FLOAT32, f4.dtype());
        assertEquals(NpyArray.of(new float[] {1.5f, -2f, 3.25f, 4f, -0f, 6e-8f}, 2, 3), f4);
        assertEquals(NpyArray.of(new double[] {1.0 / 3.0, -2.5, 1e300}, 3), read("be_f8_3.npy"));
        assertEquals(NpyArray.of(new long[] {1, -2, 1L << 62, Long.MIN_VALUE}, 2, 2), read("be_i8_2x2.npy"));
        assertEquals(NpyArray.of(new int[] {7, -8, Integer.MAX_VALUE}, 3), read("be_i4_3.npy"));
        assertEquals(NpyArray.of(new long[] {0, 1, -1, 1L << 40, -(1L << 40), Long.MAX_VALUE}, 2, 3),
                read("le_i8_2x3.npy"));
    }

    @Test
    void convertsFortranOrderToCOrder() throws IOException {
        double[] arange = new double[24];
        Arrays.setAll(arange, k -> k);
        assertEquals(NpyArray.of(arange, 2, 3, 4), read("fortran_f8_2x3x4.npy"));
        assertEquals(NpyArray.of(new int[] {0, 1, 2, 3, 4, 5}, 3, 2), read("fortran_be_i4_3x2.npy"));
    }

    @Test
    void readsVersions2And3() throws IOException {
        assertEquals(NpyArray.of(new double[] {1, 2, 3, 4}, 2, 2), read("v2_f8_2x2.npy"));
        assertEquals(NpyArray.of(new float[] {1, 2, 3}, 3), read("v3_f4_3.npy"));
    }

    // ---- rejections

    @Test
    void rejectsObjectArraysWithoutUnpickling() {
        assertRejected("object.npy", "pickle");
    }

    @Test
    void rejectsOtherDtypes() {
        assertRejected("structured.npy", "structured");
        assertRejected("uint8.npy", "'|u1'");
        assertRejected("complex.npy", "'<c16'");
    }

    @Test
    void rejectsTruncatedFiles() throws IOException {
        byte[] whole = fixture("golden_f8_2x3.npy");
        assertMessage(Arrays.copyOf(whole, whole.length - 1), "truncated");
        assertMessage(Arrays.copyOf(whole, 100), "truncated");
        assertMessage(Arrays.copyOf(whole, 9), "truncated");
        assertMessage(new byte[0], "truncated");
    }

    @Test
    void rejectsBadMagicAndVersions() {
        byte[] bytes = Npy.toBytes(NpyArray.of(new double[] {1}));
        bytes[1] = 'X';
        assertMessage(bytes, "magic");
        assertMessage(npy(4, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 8), "version 4.0");
        byte[] minor = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 8);
        minor[7] = 1;
        assertMessage(minor, "version 1.1");
    }

    @Test
    void rejectsOversizedHeaders() {
        byte[] bytes = new byte[12];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(Integer.MAX_VALUE);
        assertMessage(bytes, "exceeds the limit");
    }

    @Test
    void rejectsShapesThatOverflowOrExceedTheLimit() throws IOException {
        assertMessage(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", 0),
                "more than");
        assertMessage(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }", 0),
                "64 bits");
        assertMessage(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000,), }", 0),
                "over the limit");
        byte[] six = fixture("golden_f8_2x3.npy");
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(six), 5));
        assertTrue(e.getMessage().contains("6 elements, over the limit of 5"), e.getMessage());
        assertEquals(6, Npy.read(new ByteArrayInputStream(six), 6).size());
    }

    @Test
    void rejectsMalformedHeaders() {
        String[][] cases = {
            {"{'descr': '<f8', 'shape': (2,), }", "required"},
            {"{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1, }", "unexpected key"},
            {"{'descr': '<f8', 'fortran_order': False, 'shape': (2), }", "trailing comma"},
            {"{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }", "non-negative"},
            {"{'descr': '<f8', 'fortran_order': 0, 'shape': (2,), }", "True or False"},
            {"{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", "duplicate"},
            {"{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } x", "after the dictionary"},
            {"['descr', '<f8']", "expected '{'"},
            {"{'descr': '=f8', 'fortran_order': False, 'shape': (2,), }", "'=f8'"},
            {"{'descr': '<f8' 'fortran_order': False, 'shape': (2,), }", "expected ','"},
        };
        for (String[] c : cases) {
            assertMessage(npy(1, c[0], 16), c[1]);
        }
    }

    @Test
    void acceptsHeaderVariantsNumPyAccepts() throws IOException {
        byte[] bytes = npy(1, "{\"shape\": (2L,), \"fortran_order\": False, \"descr\": \"<f8\"}", 16);
        NpyArray a = Npy.read(new ByteArrayInputStream(bytes));
        assertArrayEquals(new long[] {2}, a.shape());
    }

    // ---- helpers

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
            if (in == null) {
                throw new IOException("missing test fixture /npy/" + name);
            }
            return in.readAllBytes();
        }
    }

    private static NpyArray read(String name) throws IOException {
        return Npy.read(new ByteArrayInputStream(fixture(name)));
    }

    private static void assertRejected(String fixtureName, String messagePart) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> read(fixtureName));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    private static void assertMessage(byte[] bytes, String messagePart) {
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    /** A hand-made file: magic, {@code major}.0, the header as given plus '\n', then {@code dataBytes} zeros. */
    private static byte[] npy(int major, String header, int dataBytes) {
        byte[] text = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + text.length + dataBytes)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (lengthBytes == 2) {
            b.putShort((short) text.length);
        } else {
            b.putInt(text.length);
        }
        return b.put(text).array();
    }
}
