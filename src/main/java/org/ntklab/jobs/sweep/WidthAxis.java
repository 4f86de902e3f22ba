package org.ntklab.jobs.sweep;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import org.ntklab.jobs.spec.UnknownValueException;

/**
 * Which hidden width is "the width m" of a child for the scaling fits: the widest layer (MAX, the
 * default: a network of width m, with or without a fixed narrow bottleneck) or the narrowest
 * (MIN: the bottleneck width m_b of the paper's Figure 2).
 */
public enum WidthAxis {
    MAX,
    MIN;

    public int of(List<Integer> hiddenWidths) {
        return this == MAX ? hiddenWidths.stream().mapToInt(Integer::intValue).max().orElseThrow()
                : hiddenWidths.stream().mapToInt(Integer::intValue).min().orElseThrow();
    }

    @JsonValue
    public String value() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static WidthAxis parse(String text) {
        for (WidthAxis a : values()) {
            if (a.name().equalsIgnoreCase(text)) {
                return a;
            }
        }
        throw new UnknownValueException("widthAxis", text, List.of("max", "min"));
    }
}
