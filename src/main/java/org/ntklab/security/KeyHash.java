package org.ntklab.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The stored form of an API key: {@code sha256:<64 hex digits>}, the SHA-256 of the key's UTF-8
 * bytes. The key itself is never stored.
 *
 * <p>Why an unsalted fast hash is enough here: the keys are not passwords chosen by people but
 * random strings of at least {@value #MIN_KEY_LENGTH} characters ({@link #main} draws 256 bits from
 * {@link SecureRandom}), and keys shorter than that never authenticate. Guessing such a key from its
 * hash takes about 2^255 SHA-256 evaluations whatever the hash costs, so a slow KDF (bcrypt,
 * PBKDF2) would add latency to every request and no security; a salt defends against precomputed
 * tables, which cannot cover a 256-bit space. Presented keys are compared by their digests with
 * {@link MessageDigest#isEqual}, in constant time.
 *
 * <p>To make a key and its hash: {@code java -cp target/classes org.ntklab.security.KeyHash}
 * (prints both), or {@code java -cp target/classes org.ntklab.security.KeyHash <key>} for the hash
 * of a key of your own; without Java:
 * {@code key=$(head -c 32 /dev/urandom | base64 | tr -d '=+/'); echo "$key"; printf %s "$key" | sha256sum}.
 */
public final class KeyHash {

    /** Presented keys shorter than this are refused without being looked up. */
    public static final int MIN_KEY_LENGTH = 32;
    static final String PREFIX = "sha256:";

    private final byte[] digest;

    private KeyHash(byte[] digest) {
        this.digest = digest;
    }

    /**
     * Parses a configured hash.
     *
     * @throws IllegalArgumentException unless it reads {@code sha256:} and 64 hex digits
     */
    public static KeyHash parse(String text) {
        if (text == null || !text.startsWith(PREFIX) || text.length() != PREFIX.length() + 64) {
            throw new IllegalArgumentException("an API key hash must read sha256:<64 hex digits>");
        }
        try {
            return new KeyHash(HexFormat.of().parseHex(text.substring(PREFIX.length()).toLowerCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an API key hash must read sha256:<64 hex digits>", e);
        }
    }

    /** The hash of {@code key}. */
    public static KeyHash of(String key) {
        return new KeyHash(sha256(key));
    }

    /** Whether {@code other} is the same hash; constant time in the digests' contents. */
    public boolean matches(KeyHash other) {
        return MessageDigest.isEqual(digest, other.digest);
    }

    /** A new random key: 256 bits, URL-safe Base64 without padding (43 characters). */
    public static String newKey(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return PREFIX + HexFormat.of().formatHex(digest);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Prints a new key and its hash, or with one argument the hash of that key. The key goes to
     * the client; only the hash goes into {@code ntklab.security.keys[*].hash}.
     */
    public static void main(String[] args) {
        if (args.length > 1) {
            System.err.println("usage: KeyHash [key]");
            System.exit(2);
        }
        String key = args.length == 1 ? args[0] : newKey(new SecureRandom());
        if (key.length() < MIN_KEY_LENGTH) {
            System.err.println("a key needs at least " + MIN_KEY_LENGTH + " characters; shorter ones never authenticate");
            System.exit(2);
        }
        if (args.length == 0) {
            System.out.println("key:  " + key);
        }
        System.out.println("hash: " + of(key));
    }
}
