package org.ntklab.security;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
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
 * @param maxActiveJobs how many queued and running experiments one key may have
 */
@ConfigurationProperties("ntklab.security")
public record SecurityProperties(
        @DefaultValue("off") Anonymous anonymous,
        @DefaultValue List<Key> keys,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue MaxActiveJobs maxActiveJobs) {

    @ConstructorBinding
    public SecurityProperties {
    }

    /** With the default quotas of active jobs. */
    public SecurityProperties(Anonymous anonymous, List<Key> keys, RateLimit rateLimit) {
        this(anonymous, keys, rateLimit, new MaxActiveJobs(100, 0));
    }

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
     * @param maxActiveJobs its own quota of queued and running experiments (0: none); null for its role's
     */
    public record Key(String name, Role role, String hash, Rate rate, Long maxActiveJobs) {

        @ConstructorBinding
        public Key {
            if (maxActiveJobs != null && maxActiveJobs < 0) {
                throw new IllegalArgumentException("a key's max-active-jobs must be 0 (none) or positive, got "
                        + maxActiveJobs);
            }
        }

        public Key(String name, Role role, String hash, Rate rate) {
            this(name, role, hash, rate, null);
        }
    }

    /**
     * The most experiments one key may have QUEUED or RUNNING at once, all instances together (a
     * sweep's children count one each), so that one caller cannot fill the queue for everyone.
     * A submission that would go over it is refused with 429 {@code /problems/quota-exceeded}.
     * A key's own {@code max-active-jobs} overrides its role's; 0 means no quota.
     *
     * @param submitter the quota of submitter keys (and anonymous submitters); default 100
     * @param admin     the quota of admin keys; default 0, none
     */
    public record MaxActiveJobs(@DefaultValue("100") long submitter, @DefaultValue("0") long admin) {

        public MaxActiveJobs {
            if (submitter < 0 || admin < 0) {
                throw new IllegalArgumentException("ntklab.security.max-active-jobs must be 0 (none) or positive, got "
                        + "submitter=" + submitter + ", admin=" + admin);
            }
        }
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
