-- Sweeps: a base spec and a grid of overrides, expanded into ordinary experiments (PostgreSQL).
CREATE TABLE sweep (
    id               UUID         NOT NULL PRIMARY KEY,
    name             VARCHAR(200) NOT NULL,
    definition       TEXT         NOT NULL,
    submitted_by     VARCHAR(100),
    created_at       TIMESTAMPTZ  NOT NULL,
    cancel_requested BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX sweep_created ON sweep (created_at);

ALTER TABLE experiment ADD COLUMN sweep_id UUID REFERENCES sweep (id) ON DELETE CASCADE;
ALTER TABLE experiment ADD COLUMN sweep_index INTEGER;
ALTER TABLE experiment ADD COLUMN overrides TEXT;
CREATE INDEX experiment_sweep ON experiment (sweep_id, sweep_index);
