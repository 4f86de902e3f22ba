package org.ntklab.core.data.npy;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The header dictionary of a {@code .npy} file, e.g.
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }}.
 *
 * <p>Parsing accepts exactly the Python literal subset NumPy writes (string keys in either quote,
 * {@code True}/{@code False}, a tuple of non-negative integers with an optional legacy {@code L}
 * suffix) and nothing else: it is never evaluated.
 */
record NpyHeader(NpyDtype dtype, ByteOrder byteOrder, boolean fortranOrder, long[] shape) {

    /** NumPy's {@code GROWTH_AXIS_MAX_DIGITS}: spare spaces so the first axis can grow in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    /** The dictionary as NumPy 2.x writes it (keys sorted, trailing {@code ", }"}, growth spaces). */
    String format() {
        StringBuilder b = new StringBuilder("{'descr': '").append(dtype.descr(byteOrder))
                .append("', 'fortran_order': ").append(fortranOrder ? "True" : "False")
                .append(", 'shape': ").append(shapeRepr(shape)).append(", }");
        if (shape.length > 0) {
            int growthAxis = fortranOrder ? shape.length - 1 : 0;
            int digits = Long.toString(shape[growthAxis]).length();
            b.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - digits)));
        }
        return b.toString();
    }

    /** Python's repr of a shape tuple: {@code ()}, {@code (5,)}, {@code (2, 3)}. */
    static String shapeRepr(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** Parses the header text (padding included); throws on anything NumPy would not write. */
    static NpyHeader parse(String text) throws NpyFormatException {
        return new Parser(text).parse();
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        NpyHeader parse() throws NpyFormatException {
            String descr = null;
            Boolean fortran = null;
            long[] shape = null;
            skipSpace();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                switch (key) {
                    case "descr" -> {
                        requireAbsent(descr, key);
                        if (peek() == '[') {
                            throw fail("structured dtypes (descr is a list of fields) are not supported");
                        }
                        descr = string();
                    }
                    case "fortran_order" -> {
                        requireAbsent(fortran, key);
                        fortran = bool();
                    }
                    case "shape" -> {
                        requireAbsent(shape, key);
                        shape = tuple();
                    }
                    default -> throw fail("unexpected key '" + key + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw fail("expected ',' or '}'");
                }
            }
            skipSpace();
            if (pos != s.length()) {
                throw fail("unexpected text after the dictionary");
            }
            if (descr == null || fortran == null || shape == null) {
                throw fail("the keys 'descr', 'fortran_order' and 'shape' are all required");
            }
            return new NpyHeader(dtype(descr), byteOrder(descr), fortran, shape);
        }

        private NpyDtype dtype(String descr) throws NpyFormatException {
            NpyDtype d = descr.length() == 3 && (descr.charAt(0) == '<' || descr.charAt(0) == '>')
                    ? NpyDtype.fromTypeCode(descr.substring(1)) : null;
            if (d != null) {
                return d;
            }
            if (descr.length() >= 2 && descr.charAt(1) == 'O') {
                throw new NpyFormatException("object arrays (descr '" + descr
                        + "') hold Python pickles; they are not supported and never unpickled");
            }
            throw new NpyFormatException("unsupported dtype descr '" + descr
                    + "'; supported: <f8 >f8 <f4 >f4 <i8 >i8 <i4 >i4");
        }

        private static ByteOrder byteOrder(String descr) {
            return descr.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        }

        private String string() throws NpyFormatException {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw fail("expected a string");
            }
            int end = s.indexOf(quote, pos + 1);
            if (end < 0) {
                throw fail("unterminated string");
            }
            String value = s.substring(pos + 1, end);
            if (value.indexOf('\\') >= 0) {
                throw fail("escape sequences are not supported");
            }
            pos = end + 1;
            return value;
        }

        private boolean bool() throws NpyFormatException {
            if (s.startsWith("True", pos)) {
                pos += 4;
                return true;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return false;
            }
            throw fail("expected True or False");
        }

        /** {@code ()}, {@code (n,)} or {@code (n, m, ...)} with an optional trailing comma. */
        private long[] tuple() throws NpyFormatException {
            expect('(');
            long[] dims = new long[4];
            int rank = 0;
            boolean trailingComma = false;
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                if (rank == dims.length) {
                    dims = Arrays.copyOf(dims, 2 * rank);
                }
                dims[rank++] = integer();
                skipSpace();
                trailingComma = peek() == ',';
                if (trailingComma) {
                    pos++;
                } else if (peek() != ')') {
                    throw fail("expected ',' or ')' in the shape");
                }
            }
            if (rank == 1 && !trailingComma) {
                throw fail("a one-element shape needs a trailing comma, as in (5,)");
            }
            return Arrays.copyOf(dims, rank);
        }

        private long integer() throws NpyFormatException {
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
                pos++;
            }
            if (start == pos) {
                throw fail("expected a non-negative integer in the shape");
            }
            long value;
            try {
                value = Long.parseLong(s.substring(start, pos));
            } catch (NumberFormatException e) {
                throw fail("shape dimension " + s.substring(start, pos) + " does not fit in 64 bits");
            }
            if (peek() == 'L') {
                pos++;
            }
            return value;
        }

        private void requireAbsent(Object value, String key) throws NpyFormatException {
            if (value != null) {
                throw fail("duplicate key '" + key + "'");
            }
        }

        private void expect(char c) throws NpyFormatException {
            if (peek() != c) {
                throw fail("expected '" + c + "'");
            }
            pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\n'
                    || s.charAt(pos) == '\t' || s.charAt(pos) == '\r')) {
                pos++;
            }
        }

        private NpyFormatException fail(String what) {
            String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
            return new NpyFormatException("malformed .npy header at character " + pos + ": " + what
                    + " in " + shown.strip());
        }
    }
}
