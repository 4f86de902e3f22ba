package org.ntklab.api.fuzz;

import java.util.List;
import java.util.Map;

/**
 * JSON text from plain values, written by hand so that a test can put into a body what no
 * well-behaved serializer would: {@link Raw} tokens (1e309, 123456789012345678901234567890, -0,
 * NaN), duplicate keys, strings with unpaired surrogates and control characters.
 */
final class Json {

    /** A token written as is. */
    record Raw(String text) {
    }

    /** An object whose entries may repeat a key. */
    record Entries(List<Map.Entry<String, Object>> entries) {
    }

    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Raw raw) {
            out.append(raw.text());
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(String.valueOf(e.getKey()), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof Entries entries) {
            out.append('{');
            for (int i = 0; i < entries.entries().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(entries.entries().get(i).getKey(), out);
                out.append(':');
                write(entries.entries().get(i).getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    /** A JSON string: quotes, backslashes and every char below U+0020 or a surrogate escaped as \\uXXXX. */
    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
