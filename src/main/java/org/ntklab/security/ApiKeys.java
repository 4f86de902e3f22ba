package org.ntklab.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured keys, checked once at start-up, and the look-up of a presented key.
 *
 * <p>A presented key is hashed once and compared with every configured hash, each comparison in
 * constant time and none cut short by a match, so the time taken says nothing about which key, or
 * how much of one, matched.
 */
public final class ApiKeys {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

    /** An authenticated key: its name and role, and its own rate if it has one. */
    public record ApiKey(String name, Role role, SecurityProperties.Rate rate) {
    }

    private record Entry(ApiKey key, KeyHash hash) {
    }

    private final List<Entry> entries;

    /**
     * @throws IllegalArgumentException naming the entry, for a missing or malformed name, role or
     *                                  hash, or a name or hash used twice
     */
    public ApiKeys(List<SecurityProperties.Key> keys) {
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            SecurityProperties.Key k = keys.get(i);
            String where = "ntklab.security.keys[" + i + "]";
            if (k.name() == null || !NAME.matcher(k.name()).matches()) {
                throw new IllegalArgumentException(where + ".name must be 1 to 100 of A-Z a-z 0-9 . _ @ -, got " + k.name());
            }
            if (k.name().equals(SecurityProperties.ANONYMOUS)) {
                throw new IllegalArgumentException(where + ".name may not be '" + SecurityProperties.ANONYMOUS + "'");
            }
            if (k.role() == null) {
                throw new IllegalArgumentException(where + ".role is required: reader, submitter or admin");
            }
            KeyHash hash;
            try {
                hash = KeyHash.parse(k.hash());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".hash: " + e.getMessage(), e);
            }
            if (!names.add(k.name())) {
                throw new IllegalArgumentException(where + ".name '" + k.name() + "' is used twice");
            }
            if (!hashes.add(hash.toString())) {
                throw new IllegalArgumentException(where + ".hash is the hash of another key too");
            }
            entries.add(new Entry(new ApiKey(k.name(), k.role(), k.rate()), hash));
        }
        this.entries = List.copyOf(entries);
    }

    /** The key whose hash is that of {@code presented}; empty for an unknown or too short key. */
    public Optional<ApiKey> find(String presented) {
        if (presented == null || presented.length() < KeyHash.MIN_KEY_LENGTH) {
            return Optional.empty();
        }
        KeyHash hash = KeyHash.of(presented);
        ApiKey found = null;
        for (Entry e : entries) {
            if (e.hash().matches(hash)) {
                found = e.key();
            }
        }
        return Optional.ofNullable(found);
    }

    public int size() {
        return entries.size();
    }

    /** The configured keys, without their hashes. */
    public List<ApiKey> keys() {
        return entries.stream().map(Entry::key).toList();
    }
}
