-- Who uploaded a dataset: the name of the API key (or 'anonymous'), as experiment.submitted_by
-- and sweep.submitted_by already record it for jobs. NULL for datasets stored before.
ALTER TABLE dataset ADD COLUMN submitted_by VARCHAR(100);
