package org.ntklab.core.data.npy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads a NumPy {@code .npz} archive ({@code np.savez}, STORED, or {@code np.savez_compressed},
 * DEFLATED) into named arrays, with caps on the entry count and on the total uncompressed bytes so
 * that a small hostile archive (a zip bomb) cannot exhaust memory.
 */
public final class NpzReader {

    /** Default cap on the number of entries. */
    public static final int DEFAULT_MAX_ENTRIES = 1024;

    /** Default cap on the total uncompressed bytes of all entries: 1 GiB. */
    public static final long DEFAULT_MAX_TOTAL_BYTES = 1L << 30;

    private NpzReader() {
    }

    /** {@link #read(InputStream, int, long)} with the default caps. */
    public static Map<String, NpyArray> read(InputStream in) throws IOException {
        return read(in, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_TOTAL_BYTES);
    }

    /**
     * Reads every entry as a {@code .npy} array (see {@link Npy#read(InputStream, long)}). Keys
     * are the entry names without their {@code ".npy"} suffix, in archive order. Reads {@code in}
     * past the last entry; does not close it.
     *
     * @throws NpyFormatException if the stream is not a zip archive, an entry is not a
     *     {@code .npy} file (or a directory) or has bytes after the array's data, a name repeats, an entry is not a valid array, or
     *     the archive has more than {@code maxEntries} entries or {@code maxTotalBytes}
     *     uncompressed bytes
     */
    public static Map<String, NpyArray> read(InputStream in, int maxEntries, long maxTotalBytes)
            throws IOException {
        PushbackInputStream start = new PushbackInputStream(in, 4);
        byte[] signature = start.readNBytes(4);
        if (!isZipSignature(signature)) {
            throw new NpyFormatException("not a .npz archive: it does not start with a zip signature");
        }
        start.unread(signature);
        ZipInputStream zip = new ZipInputStream(start);
        CappedInputStream capped = new CappedInputStream(zip, maxTotalBytes);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String entryName = entry.getName();
                if (arrays.size() == maxEntries) {
                    throw new NpyFormatException(".npz archive has more than " + maxEntries + " entries");
                }
                if (entry.isDirectory() || !entryName.endsWith(".npy")) {
                    throw new NpyFormatException(".npz entry '" + entryName + "' is not a .npy file");
                }
                String name = entryName.substring(0, entryName.length() - ".npy".length());
                if (arrays.containsKey(name)) {
                    throw new NpyFormatException(".npz archive repeats the entry '" + entryName + "'");
                }
                try {
                    arrays.put(name, Npy.read(capped, capped.remaining()));
                    if (capped.read() >= 0) {
                        // also stops a small array followed by a huge compressed tail (a CPU bomb)
                        throw new NpyFormatException("bytes follow the array's data");
                    }
                } catch (NpyFormatException e) {
                    throw new NpyFormatException(".npz entry '" + entryName + "': " + e.getMessage());
                }
                zip.closeEntry();
            }
        } catch (ZipException e) {
            throw new NpyFormatException("not a valid .npz (zip) archive: " + e.getMessage());
        }
        return arrays;
    }

    /**
     * A local file header (bytes {@code PK 03 04}) or, for an archive without entries, the end
     * record ({@code PK 05 06}).
     */
    private static boolean isZipSignature(byte[] s) {
        return s.length == 4 && s[0] == 'P' && s[1] == 'K'
                && ((s[2] == 3 && s[3] == 4) || (s[2] == 5 && s[3] == 6));
    }

    /** Counts bytes read through it and fails once more than {@code limit} have been read. */
    private static final class CappedInputStream extends FilterInputStream {
        private final long limit;
        private long count;

        CappedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        long remaining() {
            return Math.max(0, limit - count);
        }

        private void add(long n) throws NpyFormatException {
            count += n;
            if (count > limit) {
                throw new NpyFormatException(".npz archive holds more than " + limit
                        + " uncompressed bytes");
            }
        }

    }
}
