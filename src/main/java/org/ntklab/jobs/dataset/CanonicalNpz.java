package org.ntklab.jobs.dataset;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.ntklab.core.data.DataArrays;
import org.ntklab.core.data.npy.NpyArray;
import org.ntklab.core.data.npy.NpzReader;
import org.ntklab.core.data.npy.NpzWriter;

/**
 * The one byte form of a dataset, stored and hashed: the {@code .npz} that {@link NpzWriter}
 * writes for entry {@code X} (float64, shape (n, d)) then entry {@code Y} (float64, shape (n, c)),
 * little-endian, C order, STORED, fixed timestamps. Equal arrays give equal bytes whatever the
 * uploaded form (CSV, .npz of another dtype, byte order or memory order), so the SHA-256 of these
 * bytes identifies the content.
 */
public final class CanonicalNpz {

    private CanonicalNpz() {
    }

    /** The canonical bytes of {@code data}. */
    public static byte[] bytes(DataArrays data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (NpzWriter npz = new NpzWriter(out)) {
            npz.add("X", NpyArray.of(data.x(), data.n(), data.d()));
            npz.add("Y", NpyArray.of(data.y(), data.n(), data.c()));
        } catch (IOException e) {
            throw new UncheckedIOException("a ByteArrayOutputStream does not throw", e);
        }
        return out.toByteArray();
    }

    /** The arrays of canonical bytes (as stored). */
    public static DataArrays read(byte[] canonical) {
        try {
            Map<String, NpyArray> arrays = NpzReader.read(new ByteArrayInputStream(canonical), 2,
                    canonical.length);
            NpyArray x = arrays.get("X");
            NpyArray y = arrays.get("Y");
            return new DataArrays((int) x.shape()[0], (int) x.shape()[1], (int) y.shape()[1], x.toDoubleArray(),
                    y.toDoubleArray());
        } catch (IOException e) {
            throw new UncheckedIOException("a stored dataset is not canonical", e);
        }
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
