package org.ntklab.core.data.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a NumPy {@code .npz} archive as {@code np.savez} does: a zip file with one uncompressed
 * (STORED) entry {@code name + ".npy"} per array, in the order added, each holding
 * {@link Npy#write} bytes. Entry timestamps are fixed at 1980-01-01 00:00, so equal inputs give
 * byte-identical archives. {@code numpy.load(path)[name]} returns each array.
 *
 * <p>Closing the writer finishes the archive and closes the underlying stream. Not thread-safe.
 */
public final class NpzWriter implements AutoCloseable {

    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private final ZipOutputStream zip;
    private final Set<String> names = new HashSet<>();

    /** Starts an archive on {@code out}, which this writer now owns. */
    public NpzWriter(OutputStream out) {
        this.zip = new ZipOutputStream(out);
    }

    /**
     * Appends {@code array} as entry {@code name + ".npy"}; {@code array} is not modified.
     *
     * @throws IllegalArgumentException if {@code name} is empty, contains a NUL or a backslash, or
     *     was already added
     */
    public NpzWriter add(String name, NpyArray array) throws IOException {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("invalid .npz array name '" + name
                    + "': it must be non-empty, without NUL or backslash");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate .npz array name '" + name + "'");
        }
        byte[] bytes = Npy.toBytes(array);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        ZipEntry entry = new ZipEntry(name + ".npy");
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
        return this;
    }

    /** Writes the central directory and closes the underlying stream. */
    @Override
    public void close() throws IOException {
        zip.close();
    }
}
