package org.ntklab.core.data.npy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes NumPy's {@code .npy} format (NumPy Enhancement Proposal 1).
 *
 * <p>Layout: the magic string {@code \x93NUMPY}, a major and a minor version byte, the header
 * length (uint16 little-endian in version 1.0, uint32 in 2.0 and 3.0), the header dictionary
 * (latin-1, or UTF-8 in 3.0) padded with spaces and ended by {@code '\n'} so that the preamble is a
 * multiple of 64 bytes, then the raw elements.
 *
 * <p>Neither method closes the stream it is given.
 */
public final class Npy {

    /** Default cap on the number of elements {@link #read(InputStream)} accepts: 2^28. */
    public static final long DEFAULT_MAX_ELEMENTS = 1L << 28;

    /** Largest header accepted by the reader; NumPy itself refuses headers over 10,000 bytes. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Preamble alignment, NumPy's {@code ARRAY_ALIGN}. */
    private static final int ALIGN = 64;

    private Npy() {
    }

    /**
     * Writes {@code array} as NumPy 2.x's {@code np.save} would, byte for byte: version 1.0 (2.0
     * only if the header exceeds 65,535 bytes), little-endian descr, {@code 'fortran_order': False},
     * data in C order. {@code array} is not modified.
     */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        NpyHeader header = new NpyHeader(array.dtype(), ByteOrder.LITTLE_ENDIAN, false, array.shape());
        out.write(preamble(header.format()));
        // the channel copies through a small buffer; it is not closed, so neither is out
        Channels.newChannel(out).write(array.data());
    }

    /** The bytes {@link #write} produces. */
    public static byte[] toBytes(NpyArray array) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, array);
        } catch (IOException e) {
            throw new IllegalStateException("a ByteArrayOutputStream does not throw", e);
        }
        return out.toByteArray();
    }

    /** {@link #read(InputStream, long)} with {@link #DEFAULT_MAX_ELEMENTS}. */
    public static NpyArray read(InputStream in) throws IOException {
        return read(in, DEFAULT_MAX_ELEMENTS);
    }

    /**
     * Reads one array of a supported dtype ({@code <f8 >f8 <f4 >f4 <i8 >i8 <i4 >i4}), versions 1.0,
     * 2.0 or 3.0, in C or Fortran order; the result is little-endian and C-ordered. Consumes exactly
     * the preamble and the data bytes.
     *
     * @throws NpyFormatException on a bad magic or version, a header over {@link #MAX_HEADER_BYTES},
     *     a malformed header, an unsupported dtype (object arrays are refused, never unpickled), more
     *     than {@code maxElements} elements, or a stream ending before the data does
     */
    public static NpyArray read(InputStream in, long maxElements) throws IOException {
        byte[] start = readExactly(in, MAGIC.length + 2, "magic string and version");
        for (int i = 0; i < MAGIC.length; i++) {
            if (start[i] != MAGIC[i]) {
                throw new NpyFormatException("not a .npy file: the magic string \\x93NUMPY is missing");
            }
        }
        int major = start[6] & 0xFF;
        int minor = start[7] & 0xFF;
        if (minor != 0 || major < 1 || major > 3) {
            throw new NpyFormatException("unsupported .npy format version " + major + "." + minor
                    + "; supported: 1.0, 2.0, 3.0");
        }
        ByteBuffer len = ByteBuffer.wrap(readExactly(in, major == 1 ? 2 : 4, "header length"))
                .order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? len.getShort() & 0xFFFF : len.getInt() & 0xFFFFFFFFL;
        if (headerLength > MAX_HEADER_BYTES) {
            throw new NpyFormatException("header of " + headerLength + " bytes exceeds the limit of "
                    + MAX_HEADER_BYTES);
        }
        byte[] headerBytes = readExactly(in, (int) headerLength, "header");
        NpyHeader header = NpyHeader.parse(new String(headerBytes,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));

        long[] shape = header.shape();
        long n;
        try {
            n = NpyArray.elementCount(shape);
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(e.getMessage());
        }
        int itemSize = header.dtype().itemSize();
        if (n > maxElements || n > NpyArray.MAX_BYTES / itemSize) {
            throw new NpyFormatException("shape " + NpyHeader.shapeRepr(shape) + " has " + n
                    + " elements, over the limit of " + Math.min(maxElements, NpyArray.MAX_BYTES / itemSize));
        }
        byte[] data = readExactly(in, (int) (n * itemSize), "data of shape " + NpyHeader.shapeRepr(shape));
        if (header.byteOrder() == ByteOrder.BIG_ENDIAN) {
            reverseEachItem(data, itemSize);
        }
        if (header.fortranOrder()) {
            data = fortranToC(data, shape, itemSize);
        }
        return new NpyArray(header.dtype(), shape, ByteBuffer.wrap(data));
    }

    /** Magic, version, header length and the header padded to a multiple of {@link #ALIGN}. */
    private static byte[] preamble(String dict) {
        byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
        int hlen = text.length + 1;
        int lengthBytes = 2;
        int pad = ALIGN - (MAGIC.length + 2 + lengthBytes + hlen) % ALIGN;
        if (hlen + pad > 0xFFFF) {
            lengthBytes = 4;
            pad = ALIGN - (MAGIC.length + 2 + lengthBytes + hlen) % ALIGN;
        }
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + lengthBytes + hlen + pad)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (lengthBytes == 2 ? 1 : 2)).put((byte) 0);
        if (lengthBytes == 2) {
            b.putShort((short) (hlen + pad));
        } else {
            b.putInt(hlen + pad);
        }
        b.put(text);
        for (int i = 0; i < pad; i++) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    private static byte[] readExactly(InputStream in, int length, String what) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new NpyFormatException("truncated .npy: expected " + length + " bytes of " + what
                    + ", got " + bytes.length);
        }
        return bytes;
    }

    /** Reverses the bytes of each {@code itemSize}-byte element in place (big- to little-endian). */
    private static void reverseEachItem(byte[] data, int itemSize) {
        for (int start = 0; start < data.length; start += itemSize) {
            for (int i = start, j = start + itemSize - 1; i < j; i++, j--) {
                byte t = data[i];
                data[i] = data[j];
                data[j] = t;
            }
        }
    }

    /**
     * Reorders elements from Fortran (column-major) to C (row-major) order: element
     * {@code (i_0, ..., i_{r-1})} sits at {@code sum_k i_k * prod_{j<k} shape_j} in the source and
     * at {@code sum_k i_k * prod_{j>k} shape_j} in the result.
     */
    private static byte[] fortranToC(byte[] src, long[] shape, int itemSize) {
        int rank = shape.length;
        int n = src.length / itemSize;
        if (rank < 2 || n == 0) {
            return src;
        }
        long[] fStride = new long[rank];
        fStride[0] = 1;
        for (int k = 1; k < rank; k++) {
            fStride[k] = fStride[k - 1] * shape[k - 1];
        }
        byte[] dst = new byte[src.length];
        long[] index = new long[rank];
        long offset = 0;
        for (int c = 0; c < n; c++) {
            System.arraycopy(src, (int) (offset * itemSize), dst, c * itemSize, itemSize);
            for (int k = rank - 1; k >= 0; k--) {
                index[k]++;
                offset += fStride[k];
                if (index[k] < shape[k]) {
                    break;
                }
                offset -= index[k] * fStride[k];
                index[k] = 0;
            }
        }
        return dst;
    }
}
