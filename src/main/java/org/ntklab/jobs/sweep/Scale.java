package org.ntklab.jobs.sweep;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import org.ntklab.jobs.spec.UnknownValueException;

/** A preset's size: QUICK finishes in minutes on a 2-core machine; PAPER uses the paper's widths. */
public enum Scale {
    QUICK,
    PAPER;

    @JsonValue
    public String value() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static Scale parse(String text) {
        for (Scale s : values()) {
            if (s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw new UnknownValueException("scale", text, List.of("quick", "paper"));
    }
}
