package org.ntklab.jobs.dataset;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.ntklab.core.data.DataArrays;
import org.ntklab.core.data.npy.NpyArray;
import org.ntklab.core.data.npy.NpyDtype;
import org.ntklab.core.data.npy.NpyFormatException;
import org.ntklab.core.data.npy.NpzReader;

/**
 * Turns an uploaded body into checked {@link DataArrays}, or refuses it with a
 * {@link DatasetException} naming the problem: over {@link DatasetLimits} (TooLarge), or malformed,
 * missing X or Y, of different row counts, ragged, non-numeric or non-finite (Invalid).
 */
public final class DatasetUploads {

    /** A decimal number as written by people and by NumPy's savetxt: no hex, no {@code d}/{@code f} suffix. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    /** Integers beyond 2^53 in magnitude are not all float64 values. */
    private static final long EXACT_INTEGERS = 1L << 53;

    private final DatasetLimits limits;

    public DatasetUploads(DatasetLimits limits) {
        this.limits = limits;
    }

    public DatasetLimits limits() {
        return limits;
    }

    /** Reads all of {@code in}, at most {@code limits.maxBytes()}; does not close it. */
    public byte[] readLimited(InputStream in) throws IOException {
        long max = limits.maxBytes();
        byte[] bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8L));
        if (bytes.length > max) {
            throw tooLarge(max);
        }
        return bytes;
    }

    /** The TooLarge refusal of a body over {@code maxBytes}. */
    public DatasetException.TooLarge tooLarge(long max) {
        return new DatasetException.TooLarge("ntklab.datasets.max-bytes", max, "the upload exceeds the limit of "
                + max + " bytes (ntklab.datasets.max-bytes)");
    }

    /**
     * A {@code .npz} archive holding {@code X} (n, d) and {@code Y} (n, c) of a supported dtype
     * (float64, float32, int64, int32, either byte order, C or Fortran order); other entries are
     * ignored. int64 values must be float64-exact (|v| &le; 2^53).
     */
    public DataArrays fromNpz(byte[] body) {
        if (body.length > limits.maxBytes()) {
            throw tooLarge(limits.maxBytes());
        }
        if (!hasEndRecord(body)) {
            throw new DatasetException.Invalid("not a valid .npz (zip) archive: it is truncated or not a zip file "
                    + "(no end of central directory record)");
        }
        Map<String, NpyArray> arrays;
        try {
            arrays = NpzReader.read(new ByteArrayInputStream(body), NpzReader.DEFAULT_MAX_ENTRIES, limits.maxBytes());
        } catch (NpyFormatException e) {
            if (e.getMessage() != null && e.getMessage().contains("uncompressed bytes")) {
                throw new DatasetException.TooLarge("ntklab.datasets.max-bytes", limits.maxBytes(),
                        "the archive's arrays exceed the limit of " + limits.maxBytes()
                                + " bytes uncompressed (ntklab.datasets.max-bytes)");
            }
            throw new DatasetException.Invalid("not a valid .npz dataset: " + e.getMessage());
        } catch (IOException e) {
            throw new DatasetException.Invalid("not a valid .npz dataset: " + e.getMessage());
        }
        NpyArray x = arrays.get("X");
        NpyArray y = arrays.get("Y");
        if (x == null || y == null) {
            throw new DatasetException.Invalid("the archive must hold arrays X (n, d) and Y (n, c); it holds "
                    + arrays.keySet() + (x == null ? ", X is missing" : ", Y is missing"));
        }
        requireMatrix("X", x);
        requireMatrix("Y", y);
        long n = x.shape()[0];
        if (y.shape()[0] != n) {
            throw new DatasetException.Invalid("X has " + n + " rows but Y has " + y.shape()[0]
                    + ": row i of each is example i");
        }
        requireWithinLimits(n, x.shape()[1] + y.shape()[1]);
        int rows = (int) n;
        int d = (int) x.shape()[1];
        int c = (int) y.shape()[1];
        return new DataArrays(rows, d, c, values("X", x, d), values("Y", y, c));
    }

    /**
     * A UTF-8 CSV file: a header row naming the columns, then one row of numbers per example. The
     * columns named in {@code targets} form Y (in the order given), all others X (in file order).
     * Blank lines are skipped; header names may be double-quoted.
     */
    public DataArrays fromCsv(byte[] body, List<String> targets) {
        if (body.length > limits.maxBytes()) {
            throw tooLarge(limits.maxBytes());
        }
        if (targets == null || targets.isEmpty()) {
            throw new DatasetException.Invalid("a CSV upload needs the query parameter targets=col1,col2 naming "
                    + "the target columns");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new DatasetException.Invalid("the CSV is not UTF-8 text");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length) {
            throw new DatasetException.Invalid("the CSV is empty: it needs a header row and at least one data row");
        }
        String[] header = lines[first].split(",", -1);
        for (int j = 0; j < header.length; j++) {
            header[j] = unquote(header[j].trim());
        }
        Set<String> seen = new HashSet<>();
        for (String h : header) {
            if (h.isEmpty()) {
                throw new DatasetException.Invalid("the CSV header has an empty column name");
            }
            if (!seen.add(h)) {
                throw new DatasetException.Invalid("the CSV header repeats the column '" + h + "'");
            }
        }
        List<String> headerList = Arrays.asList(header);
        int[] targetIndex = new int[targets.size()];
        Set<String> targetSet = new HashSet<>();
        for (int k = 0; k < targets.size(); k++) {
            String t = targets.get(k).trim();
            targetIndex[k] = headerList.indexOf(t);
            if (targetIndex[k] < 0) {
                throw new DatasetException.Invalid("target column '" + t + "' is not in the CSV header " + headerList);
            }
            if (!targetSet.add(t)) {
                throw new DatasetException.Invalid("target column '" + t + "' is named twice in targets");
            }
        }
        int c = targetIndex.length;
        int d = header.length - c;
        if (d < 1) {
            throw new DatasetException.Invalid("every CSV column is a target; at least one feature column is needed");
        }
        requireWithinLimits(0, header.length);
        int[] featureIndex = new int[d];
        for (int j = 0, k = 0; j < header.length; j++) {
            if (!targetSet.contains(header[j])) {
                featureIndex[k++] = j;
            }
        }
        List<double[]> rows = new ArrayList<>();
        for (int line = first + 1; line < lines.length; line++) {
            if (lines[line].isBlank()) {
                continue;
            }
            String[] cells = lines[line].split(",", -1);
            if (cells.length != header.length) {
                throw new DatasetException.Invalid("line " + (line + 1) + " has " + cells.length
                        + " cells but the header has " + header.length + " (rows must have equal lengths)");
            }
            if (rows.size() == limits.maxRows()) {
                requireWithinLimits(rows.size() + 1L, header.length);
            }
            double[] row = new double[header.length];
            for (int j = 0; j < cells.length; j++) {
                row[j] = number(cells[j].trim(), line + 1, header[j]);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new DatasetException.Invalid("the CSV has a header but no data rows");
        }
        int n = rows.size();
        double[] x = new double[n * d];
        double[] y = new double[n * c];
        for (int i = 0; i < n; i++) {
            double[] row = rows.get(i);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = row[featureIndex[j]];
            }
            for (int k = 0; k < c; k++) {
                y[i * c + k] = row[targetIndex[k]];
            }
        }
        return new DataArrays(n, d, c, x, y);
    }

    private static double number(String cell, int line, String column) {
        if (!NUMBER.matcher(cell).matches()) {
            String lower = cell.toLowerCase(java.util.Locale.ROOT);
            if (lower.matches("[+-]?(nan|inf|infinity)")) {
                throw new DatasetException.Invalid("line " + line + ", column '" + column + "': " + cell
                        + " is not finite; values must be finite numbers");
            }
            throw new DatasetException.Invalid("line " + line + ", column '" + column + "': '" + cell
                    + "' is not a number");
        }
        double v = Double.parseDouble(cell);
        if (!Double.isFinite(v)) {
            throw new DatasetException.Invalid("line " + line + ", column '" + column + "': " + cell
                    + " overflows float64; values must be finite numbers");
        }
        return v;
    }

    /**
     * Whether a zip end-of-central-directory record (signature {@code PK 05 06}, 22 bytes plus a
     * comment of at most 65,535) closes {@code body}: a truncated upload has none, which the
     * streaming reader alone would not notice when the cut falls between entries.
     */
    private static boolean hasEndRecord(byte[] body) {
        int last = body.length - 22;
        int first = Math.max(0, last - 0xFFFF);
        for (int i = last; i >= first; i--) {
            if (body[i] == 'P' && body[i + 1] == 'K' && body[i + 2] == 5 && body[i + 3] == 6) {
                int commentLength = (body[i + 20] & 0xFF) | (body[i + 21] & 0xFF) << 8;
                if (i + 22 + commentLength == body.length) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private void requireMatrix(String name, NpyArray a) {
        long[] shape = a.shape();
        if (shape.length != 2) {
            throw new DatasetException.Invalid(name + " must be a matrix (2-D); it has shape " + Arrays.toString(shape));
        }
        if (shape[0] < 1 || shape[1] < 1) {
            throw new DatasetException.Invalid(name + " has shape " + Arrays.toString(shape)
                    + "; a dataset needs at least one row and one column");
        }
    }

    private void requireWithinLimits(long n, long columns) {
        if (n > limits.maxRows()) {
            throw new DatasetException.TooLarge("ntklab.datasets.max-rows", limits.maxRows(), "the dataset has "
                    + (n > limits.maxRows() ? "more than " + limits.maxRows() : n) + " rows; at most "
                    + limits.maxRows() + " are allowed (ntklab.datasets.max-rows)");
        }
        if (columns > limits.maxColumns()) {
            throw new DatasetException.TooLarge("ntklab.datasets.max-columns", limits.maxColumns(), "the dataset has "
                    + columns + " columns (X and Y together); at most " + limits.maxColumns()
                    + " are allowed (ntklab.datasets.max-columns)");
        }
    }

    /** The values as float64, row-major, each finite (and exact for int64). */
    private static double[] values(String name, NpyArray a, int cols) {
        double[] v = a.toDoubleArray();
        if (a.dtype() == NpyDtype.INT64) {
            long[] longs = a.toLongArray();
            for (int i = 0; i < longs.length; i++) {
                if (longs[i] > EXACT_INTEGERS || longs[i] < -EXACT_INTEGERS) {
                    throw new DatasetException.Invalid(name + "[" + i / cols + "][" + i % cols + "] = " + longs[i]
                            + " is not exactly a float64 (|v| must be at most 2^53)");
                }
            }
        }
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new DatasetException.Invalid(name + "[" + i / cols + "][" + i % cols + "] is " + v[i]
                        + "; values must be finite (no NaN or Infinity)");
            }
        }
        return v;
    }
}
