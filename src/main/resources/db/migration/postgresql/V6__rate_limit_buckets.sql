-- Submission rate-limit buckets shared by every instance (Bucket4j's PostgreSQL backend, see
-- org.ntklab.security.RateLimitBuckets): one row per key and rate, its state serialised by Bucket4j
-- and updated under SELECT ... FOR UPDATE. PostgreSQL only: the embedded H2 keeps buckets in memory.
CREATE TABLE rate_limit_bucket (
    id         VARCHAR(200) PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
