-- Experiments as persisted jobs (H2). Keep in step with ../postgresql/V1__experiments.sql.
CREATE TABLE experiment (
    id                UUID                     NOT NULL PRIMARY KEY,
    name              VARCHAR(200)             NOT NULL,
    status            VARCHAR(16)              NOT NULL,
    spec              CHARACTER LARGE OBJECT   NOT NULL,
    spec_hash         VARCHAR(64)              NOT NULL,
    idempotency_key   VARCHAR(200),
    submitted_by      VARCHAR(100),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at        TIMESTAMP WITH TIME ZONE,
    finished_at       TIMESTAMP WITH TIME ZONE,
    progress_step     INTEGER                  NOT NULL DEFAULT 0,
    progress_steps    INTEGER                  NOT NULL DEFAULT 0,
    attempts          INTEGER                  NOT NULL DEFAULT 0,
    lease_owner       VARCHAR(200),
    lease_expires_at  TIMESTAMP WITH TIME ZONE,
    cancel_requested  BOOLEAN                  NOT NULL DEFAULT FALSE,
    error             CHARACTER LARGE OBJECT,
    result            CHARACTER LARGE OBJECT,
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
    experiment_id UUID                  NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    name          VARCHAR(100)          NOT NULL,
    content_type  VARCHAR(100)          NOT NULL,
    content       BINARY LARGE OBJECT   NOT NULL,
    PRIMARY KEY (experiment_id, name)
);
