package org.ntklab.api.fuzz;

import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The few generator combinators the hostile-input properties are written in, on QuickTheories'
 * {@link Gen}. Every one is built from QuickTheories' own draws ({@link Generate}, {@code SourceDSL}),
 * so every value shrinks: QuickTheories shrinks the recorded draws, not the value, and whatever is
 * composed of them by {@code map}, {@code zip} and {@code flatMap} shrinks with them.
 */
final class Generators {

    private Generators() {
    }

    /** A generator seen as one of {@code Object}s (generators only produce, so this is safe). */
    @SuppressWarnings("unchecked")
    static Gen<Object> any(Gen<?> gen) {
        return (Gen<Object>) gen;
    }

    /** Always {@code value} (which may be null). */
    static Gen<Object> just(Object value) {
        return Generate.constant(value);
    }

    /** One of {@code values}, uniformly (nulls and repeats allowed; a repeat doubles that value's weight). */
    static Gen<Object> of(Object... values) {
        return Generate.pick(Arrays.asList(values));
    }

    /** One of {@code values}, uniformly. */
    static <T> Gen<T> ofValues(List<T> values) {
        return Generate.pick(values);
    }

    /** One of {@code gens}, each with the same weight. */
    static Gen<Object> oneOf(Gen<?>... gens) {
        List<Pair<Integer, Gen<Object>>> choices = new ArrayList<>();
        for (Gen<?> gen : gens) {
            choices.add(weighted(1, gen));
        }
        return Generate.frequency(choices);
    }

    /** One weighted choice of {@link #frequency}. */
    static Pair<Integer, Gen<Object>> weighted(int weight, Gen<?> gen) {
        return Pair.of(weight, any(gen));
    }

    /** One of the weighted generators, with odds proportional to the weights. */
    @SafeVarargs
    static Gen<Object> frequency(Pair<Integer, Gen<Object>>... choices) {
        return Generate.frequency(Arrays.asList(choices));
    }

    /** A list of {@code min} to {@code max} values of {@code element}. */
    static <T> Gen<List<T>> list(Gen<T> element, int min, int max) {
        return lists().of(element).ofSizeBetween(min, max);
    }

    /** A list of {@code min} to {@code max} distinct values of {@code element} (repeats drawn are dropped; at least one when min >= 1). */
    static <T> Gen<List<T>> uniqueList(Gen<T> element, int min, int max) {
        return list(element, min, max).map(l -> List.copyOf(new LinkedHashSet<>(l)));
    }

    /** A subset of at most {@code max} of {@code values}, in the order drawn. */
    static <T> Gen<List<T>> subsetOf(List<T> values, int max) {
        return uniqueList(Generate.pick(values), 0, max);
    }

    /** A map of at most {@code max} entries (a key drawn twice keeps its last value). */
    static <K, V> Gen<Map<K, V>> maps(Gen<K> key, Gen<V> value, int max) {
        return list(key.zip(value, (k, v) -> (Map.Entry<K, V>) new java.util.AbstractMap.SimpleEntry<>(k, v)), 0, max).map(entries -> {
            Map<K, V> out = new LinkedHashMap<>();
            entries.forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /** One value of each of {@code gens}, in order. */
    static Gen<List<Object>> combine(List<Gen<Object>> gens) {
        Gen<List<Object>> out = Generate.constant(List.of());
        for (Gen<Object> gen : gens) {
            out = out.zip(gen, (list, value) -> {
                List<Object> longer = new ArrayList<>(list);
                longer.add(value);
                return longer;
            });
        }
        return out;
    }

    /** Strings of {@code min} to {@code max} characters from {@code alphabet}. */
    static Gen<String> strings(String alphabet, int min, int max) {
        List<Character> chars = alphabet.chars().mapToObj(c -> (char) c).toList();
        return chars(Generate.pick(chars), min, max);
    }

    /** Strings of {@code min} to {@code max} characters, each any UTF-16 unit U+0000..U+FFFF (control characters and lone surrogates too). */
    static Gen<String> anyStrings(int min, int max) {
        return chars(Generate.characters(Character.MIN_VALUE, Character.MAX_VALUE), min, max);
    }

    /** ASCII letters and digits and {@code extra}, {@code min} to {@code max} of them. */
    static Gen<String> alphanumeric(String extra, int min, int max) {
        return strings("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" + extra, min, max);
    }

    private static Gen<String> chars(Gen<Character> c, int min, int max) {
        return list(c, min, max).map(cs -> {
            StringBuilder s = new StringBuilder(cs.size());
            cs.forEach(s::append);
            return s.toString();
        });
    }

    /** {@code value} rounded to {@code scale} decimal places. */
    static double scaled(double value, int scale) {
        return java.math.BigDecimal.valueOf(value).setScale(scale, java.math.RoundingMode.HALF_UP).doubleValue();
    }
}
