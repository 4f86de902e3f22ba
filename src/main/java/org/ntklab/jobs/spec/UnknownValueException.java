package org.ntklab.jobs.spec;

import java.util.List;

/**
 * A string that names none of an enumerated field's values. The message lists the allowed values;
 * Jackson wraps this exception (as the cause of its own), and the API layer turns it into a field
 * error at the JSON path Jackson reports.
 */
public final class UnknownValueException extends IllegalArgumentException {

    private final String value;
    private final List<String> allowed;

    /**
     * @param kind    what was being named, e.g. "activation"
     * @param value   the text given
     * @param allowed the accepted values, in their canonical spelling
     */
    public UnknownValueException(String kind, String value, List<String> allowed) {
        super("unknown " + kind + " '" + value + "'; allowed values: " + String.join(", ", allowed));
        this.value = value;
        this.allowed = List.copyOf(allowed);
    }

    /** The text given. */
    public String value() {
        return value;
    }

    /** The accepted values, canonical spelling. */
    public List<String> allowed() {
        return allowed;
    }
}
