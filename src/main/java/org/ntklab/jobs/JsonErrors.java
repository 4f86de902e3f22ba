package org.ntklab.jobs;

import org.ntklab.jobs.spec.UnknownValueException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Field paths and plain messages for JSON that does not fit a spec. */
public final class JsonErrors {

    private JsonErrors() {
    }

    /** The JSON path of the problem: {@code network.hiddenWidths[1]}. */
    public static String path(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** What is wrong, in a sentence: an unknown field or value, malformed JSON, a wrong type. */
    public static String message(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + unknown.getPropertyName() + "'";
        }
        if (causedBy(e, UnknownValueException.class) instanceof UnknownValueException unknownValue) {
            return unknownValue.getMessage();
        }
        if (e instanceof StreamReadException) {
            return "malformed JSON: " + e.getOriginalMessage();
        }
        Throwable root = causedBy(e, IllegalArgumentException.class);
        return root != null && root.getMessage() != null ? root.getMessage() : e.getOriginalMessage();
    }

    /** The first throwable of {@code type} in the cause chain of {@code e}, or null. */
    public static Throwable causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }
}
