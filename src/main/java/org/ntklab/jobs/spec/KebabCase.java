package org.ntklab.jobs.spec;

import java.util.Arrays;
import java.util.Locale;

/**
 * The JSON spelling of the contract's enum constants: lower-case kebab case ({@code GAUSSIAN_MIXTURE}
 * is {@code "gaussian-mixture"}). Parsing ignores case and accepts {@code _} for {@code -}, so the
 * constant names themselves ({@code "TANH"}, {@code "CROSS_ENTROPY"}) are understood too.
 */
final class KebabCase {

    private KebabCase() {
    }

    /** The canonical JSON name of a constant. */
    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} named {@code text}.
     *
     * @param kind what the value names, for the error message
     * @throws UnknownValueException listing the allowed values, if none matches (or text is null)
     */
    static <E extends Enum<E>> E parse(Class<E> type, String kind, String text) {
        E[] constants = type.getEnumConstants();
        if (text != null) {
            String wanted = text.trim().replace('_', '-');
            for (E constant : constants) {
                if (of(constant).equalsIgnoreCase(wanted)) {
                    return constant;
                }
            }
        }
        throw new UnknownValueException(kind, text, Arrays.stream(constants).map(KebabCase::of).toList());
    }
}
