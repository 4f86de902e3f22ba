-- Experiments as persisted jobs (PostgreSQL). Keep in step with ../h2/V1__experiments.sql.
CREATE TABLE experiment (
    id                UUID         NOT NULL PRIMARY KEY,
    name              VARCHAR(200) NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    spec              TEXT         NOT NULL,
    spec_hash         VARCHAR(64)  NOT NULL,
    idempotency_key   VARCHAR(200),
    submitted_by      VARCHAR(100),
    created_at        TIMESTAMPTZ  NOT NULL,
    started_at        TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ,
    progress_step     INTEGER      NOT NULL DEFAULT 0,
    progress_steps    INTEGER      NOT NULL DEFAULT 0,
    attempts          INTEGER      NOT NULL DEFAULT 0,
    lease_owner       VARCHAR(200),
    lease_expires_at  TIMESTAMPTZ,
    cancel_requested  BOOLEAN      NOT NULL DEFAULT FALSE,
    error             TEXT,
    result            TEXT,
    CONSTRAINT experiment_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX experiment_status_created ON experiment (status, created_at);
CREATE INDEX experiment_created ON experiment (created_at);

CREATE TABLE experiment_tag (
    experiment_id UUID         NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    tag_key       VARCHAR(100) NOT NULL,
    tag_value     VARCHAR(100) NOT NULL,
    PRIMARY KEY (experiment_id, tag_key)
);
CREATE INDEX experiment_tag_lookup ON experiment_tag (tag_key, tag_value);

CREATE TABLE artifact (
    experiment_id UUID         NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    name          VARCHAR(100) NOT NULL,
    content_type  VARCHAR(100) NOT NULL,
    content       BYTEA        NOT NULL,
    PRIMARY KEY (experiment_id, name)
);
