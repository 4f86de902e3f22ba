package org.ntklab.core.data.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {

    private static final NpyArray X = NpyArray.of(new double[][] {{1, 2, 3}, {4, 5, Double.NaN}});
    private static final NpyArray Y = NpyArray.of(new float[] {-0f, 1.5f}, 2);
    private static final NpyArray LABELS = NpyArray.of(new long[] {3, 1, Long.MIN_VALUE}, 3);

    @Test
    void roundTripsArraysInOrder() throws IOException {
        Map<String, NpyArray> back = NpzReader.read(new ByteArrayInputStream(archive()));
        assertEquals(List.of("x", "y", "labels"), List.copyOf(back.keySet()));
        assertEquals(X, back.get("x"));
        assertEquals(Y, back.get("y"));
        assertEquals(LABELS, back.get("labels"));
    }

    @Test
    void writesIdenticalBytesForIdenticalInputs() throws IOException {
        assertArrayEquals(archive(), archive());
    }

    @Test
    void readsArchivesWrittenByNumPySavezAndSavezCompressed() throws IOException {
        double[] arange = new double[12];
        for (int k = 0; k < 12; k++) {
            arange[k] = k;
        }
        for (String name : new String[] {"savez.npz", "savez_compressed.npz"}) {
            Map<String, NpyArray> arrays = NpzReader.read(new ByteArrayInputStream(NpyTest.fixture(name)));
            assertEquals(List.of("x", "y", "labels"), List.copyOf(arrays.keySet()), name);
            assertEquals(NpyArray.of(arange, 3, 4), arrays.get("x"), name);
            assertEquals(NpyArray.of(new float[] {1.5f, -2.5f}, 2), arrays.get("y"), name);
            assertEquals(NpyArray.of(new long[] {3, 1, 2}, 3), arrays.get("labels"), name);
        }
    }

    @Test
    void readsAnEmptyArchive() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new NpzWriter(out).close();
        assertTrue(NpzReader.read(new ByteArrayInputStream(out.toByteArray())).isEmpty());
    }

    @Test
    void writerRejectsDuplicateAndInvalidNames() throws IOException {
        try (NpzWriter w = new NpzWriter(new ByteArrayOutputStream())) {
            w.add("x", X);
            assertThrows(IllegalArgumentException.class, () -> w.add("x", Y));
            assertThrows(IllegalArgumentException.class, () -> w.add("", Y));
            assertThrows(IllegalArgumentException.class, () -> w.add("a\\b", Y));
        }
    }

    @Test
    void rejectsStreamsThatAreNotArchives() {
        assertMessage(Npy.toBytes(X), "zip signature");
        assertMessage(new byte[0], "zip signature");
    }

    @Test
    void rejectsEntriesThatAreNotNpyFiles() throws IOException {
        assertMessage(zip("readme.txt", new byte[] {1, 2}), "'readme.txt' is not a .npy file");
        assertMessage(zip("bad.npy", new byte[] {1, 2, 3}), "'bad.npy'");
        byte[] withTail = Npy.toBytes(X);
        withTail = Arrays.copyOf(withTail, withTail.length + 1);
        assertMessage(zip("tail.npy", withTail), "bytes follow");
    }

    @Test
    void capsTheNumberOfEntries() throws IOException {
        byte[] three = archive();
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> NpzReader.read(new ByteArrayInputStream(three), 2, NpzReader.DEFAULT_MAX_TOTAL_BYTES));
        assertTrue(e.getMessage().contains("more than 2 entries"), e.getMessage());
        assertEquals(3, NpzReader.read(new ByteArrayInputStream(three), 3, Long.MAX_VALUE).size());
    }

    @Test
    void capsTheUncompressedSizeOfHighlyCompressibleEntries() throws IOException {
        long cap = 1 << 20;
        // 8 MiB of zeros deflates to a few KiB: refused from its header, before it is inflated
        byte[] bomb = zip("zeros.npy", Npy.toBytes(NpyArray.of(new double[1 << 20], 1 << 20)));
        assertTrue(bomb.length < 64 * 1024, "the archive should be small, is " + bomb.length);
        assertThrows(NpyFormatException.class,
                () -> NpzReader.read(new ByteArrayInputStream(bomb), 10, cap));
        // 1.6 MB of data: under the element cap, over the byte cap once inflated
        byte[] over = zip("zeros.npy", Npy.toBytes(NpyArray.of(new double[200_000], 200_000)));
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> NpzReader.read(new ByteArrayInputStream(over), 10, cap));
        assertTrue(e.getMessage().contains("more than " + cap + " uncompressed bytes"), e.getMessage());
    }

    @Test
    void numPyLoadsWhatTheWriterWrites(@TempDir Path dir) throws Exception {
        assumeTrue(pythonWithNumPy(), "python3 with numpy is not available");
        Path file = dir.resolve("a.npz");
        Files.write(file, archive());
        String check = "import numpy as np, sys\n"
                + "z = np.load(sys.argv[1])\n"
                + "assert list(z.keys()) == ['x', 'y', 'labels'], z.keys()\n"
                + "x = z['x']; assert x.dtype == np.float64 and x.shape == (2, 3)\n"
                + "assert np.array_equal(x, [[1, 2, 3], [4, 5, np.nan]], equal_nan=True)\n"
                + "y = z['y']; assert y.dtype == np.float32 and np.signbit(y[0]) and y[1] == 1.5\n"
                + "l = z['labels']; assert l.dtype == np.int64 and l.tolist() == [3, 1, -2**63]\n";
        Process p = new ProcessBuilder("python3", "-c", check, file.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 timed out");
        assertEquals(0, p.exitValue(), output);
    }

    private static boolean pythonWithNumPy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static byte[] archive() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (NpzWriter w = new NpzWriter(out)) {
            w.add("x", X).add("y", Y).add("labels", LABELS);
        }
        return out.toByteArray();
    }

    /** A one-entry DEFLATED archive. */
    private static byte[] zip(String entryName, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(entryName));
            z.write(content);
            z.closeEntry();
        }
        return out.toByteArray();
    }

    private static void assertMessage(byte[] bytes, String messagePart) {
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> NpzReader.read(new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}
