package org.ntklab.security;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the API, under {@code ntklab.security.*}.
 *
 * @param anonymous what a request without a key may do: {@code off} (the default: it gets 401),
 *                  or the role it acts with, {@code reader}, {@code submitter} or {@code admin}.
 *                  The embedded {@code application.yml} turns it on for a single local user, and a
 *                  WARN at start-up says so.
 * @param keys      the API keys: a name (recorded as {@code submittedBy}), a role and the key's hash
 *                  ({@link KeyHash}); never the key itself
 * @param rateLimit submissions per key
 */
@ConfigurationProperties("ntklab.security")
public record SecurityProperties(
        @DefaultValue("off") Anonymous anonymous,
        @DefaultValue List<Key> keys,
        @DefaultValue RateLimit rateLimit) {

    /** The name anonymous requests act under, and record as {@code submittedBy}; no key may take it. */
    public static final String ANONYMOUS = "anonymous";

    /** What a request without a key may do. */
    public enum Anonymous {
        OFF, READER, SUBMITTER, ADMIN;

        /** The role anonymous requests act with; empty when they are refused. */
        public Optional<Role> role() {
            return this == OFF ? Optional.empty() : Optional.of(Role.valueOf(name()));
        }
    }

    /**
     * One API key.
     *
     * @param name names the key in {@code submittedBy}, in logs and in metrics: 1 to 100 of
     *             {@code A-Z a-z 0-9 . _ @ -}, unique
     * @param role what it may do
     * @param hash {@code sha256:<hex>} of the key
     * @param rate its own submission rate; null for its role's
     */
    public record Key(String name, Role role, String hash, Rate rate) {
    }

    /**
     * Token buckets on submissions ({@code POST} of experiments, batches, sweeps and dataset uploads),
     * one per key on each instance; all anonymous requests share one. A request takes one token,
     * whatever it holds; a request finding the bucket empty gets 429 with {@code Retry-After}.
     *
     * @param enabled   false turns rate limiting off
     * @param submitter the rate of submitter keys (and of anonymous submitters); default 30 a minute
     * @param admin     the rate of admin keys; default 120 a minute
     */
    public record RateLimit(@DefaultValue("true") boolean enabled, Rate submitter, Rate admin) {

        public RateLimit {
            submitter = submitter != null ? submitter : new Rate(30, Duration.ofMinutes(1));
            admin = admin != null ? admin : new Rate(120, Duration.ofMinutes(1));
        }

        /** The rate of a key of role {@code role} without its own. */
        public Rate of(Role role) {
            return role == Role.ADMIN ? admin : submitter;
        }
    }

    /**
     * A bucket of {@code capacity} tokens (the largest burst), refilled at {@code capacity} tokens
     * per {@code period}, spread evenly over it.
     */
    public record Rate(@DefaultValue("30") long capacity, @DefaultValue("1m") Duration period) {

        public Rate {
            if (capacity < 1) {
                throw new IllegalArgumentException("a rate's capacity must be at least 1, got " + capacity);
            }
            if (period == null || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("a rate's period must be positive, got " + period);
            }
        }
    }
}
