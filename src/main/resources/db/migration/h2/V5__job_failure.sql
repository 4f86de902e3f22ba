-- Why a FAILED job failed: its kind (Failure.Kind) and, for a diverged run, the step at which
-- the loss stopped being finite. Artifacts kept with a FAILED job (a diverged run's trajectory)
-- use the artifact table as a SUCCEEDED job's do. Same statements for H2 and PostgreSQL.
ALTER TABLE experiment ADD COLUMN failure_kind VARCHAR(32);
ALTER TABLE experiment ADD COLUMN failure_step INTEGER;
