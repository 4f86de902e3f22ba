package org.ntklab.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;

/**
 * Where the submission token buckets live: in this instance's memory (the embedded default, one
 * instance), or in PostgreSQL's {@code rate_limit_bucket} table through Bucket4j's JDBC backend, so
 * that every instance takes tokens from the same bucket and a key's rate holds for the whole
 * deployment. A bucket is named by its key and its rate ({@code alice|30/PT1M}), so a changed rate
 * starts a fresh bucket instead of inheriting one stored under the old configuration.
 */
public abstract sealed class RateLimitBuckets {

    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    final TimeMeter time;

    private RateLimitBuckets(Clock clock) {
        this.time = new ClockTime(clock);
    }

    /** Buckets in this instance's memory. */
    public static RateLimitBuckets inMemory(Clock clock) {
        return new InMemory(clock);
    }

    /** Buckets in PostgreSQL's {@code rate_limit_bucket} table (Flyway migration V6), shared by every instance. */
    public static RateLimitBuckets postgres(DataSource dataSource, Clock clock) {
        return new Postgres(dataSource, clock);
    }

    /** The bucket of key {@code name} at {@code rate}; map bounded by the configured keys and rates. */
    public Bucket of(String name, SecurityProperties.Rate rate) {
        String id = name + "|" + rate.capacity() + "/" + rate.period();
        return buckets.computeIfAbsent(id, k -> create(k, configuration(rate)));
    }

    /** Whether the buckets are shared through the database. */
    public abstract boolean shared();

    abstract Bucket create(String id, BucketConfiguration configuration);

    private static BucketConfiguration configuration(SecurityProperties.Rate rate) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(rate.capacity()).refillGreedy(rate.capacity(), rate.period()).build())
                .build();
    }

    private static final class InMemory extends RateLimitBuckets {
        InMemory(Clock clock) {
            super(clock);
        }

        @Override
        Bucket create(String id, BucketConfiguration configuration) {
            return Bucket.builder().addLimit(configuration.getBandwidths()[0]).withCustomTimePrecision(time).build();
        }

        @Override
        public boolean shared() {
            return false;
        }
    }

    private static final class Postgres extends RateLimitBuckets {
        private final ProxyManager<String> proxies;

        Postgres(DataSource dataSource, Clock clock) {
            super(clock);
            this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                    .primaryKeyMapper(PrimaryKeyMapper.STRING)
                    .table("rate_limit_bucket").idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                    .clientClock(time)
                    .build();
        }

        @Override
        Bucket create(String id, BucketConfiguration configuration) {
            return proxies.builder().build(id, () -> configuration);
        }

        @Override
        public boolean shared() {
            return true;
        }
    }

    /** Bucket4j's time from a {@link Clock}, in nanoseconds since the epoch. */
    private record ClockTime(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
