-- Uploaded datasets (PostgreSQL). Keep in step with ../h2/V3__datasets.sql. content is the
-- canonical .npz (X then Y, float64 little-endian, C order); sha256 is its digest.
CREATE TABLE dataset (
    id          UUID         NOT NULL PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    sha256      VARCHAR(64)  NOT NULL,
    n           INTEGER      NOT NULL,
    d           INTEGER      NOT NULL,
    c           INTEGER      NOT NULL,
    dtype       VARCHAR(16)  NOT NULL,
    byte_size   BIGINT       NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    content     BYTEA        NOT NULL,
    CONSTRAINT dataset_sha256 UNIQUE (sha256)
);
CREATE INDEX dataset_created ON dataset (created_at);
