-- What the stuck-job reaper reads (io.gistgrep.worker.reaper). progress_at is when a job
-- last moved: a listing page stored or a gist counted (its start is started_at). reaped_at
-- is when the reaper last repaired it, and repairs how often since it last moved: a job
-- that does not move after a few repairs is failed as stalled instead of repaired again.
-- The sweeps find queued and running jobs through jobs_tenant_active_idx (V12), which
-- holds only those.
ALTER TABLE jobs ADD COLUMN progress_at timestamptz;
ALTER TABLE jobs ADD COLUMN reaped_at timestamptz;
ALTER TABLE jobs ADD COLUMN repairs integer NOT NULL DEFAULT 0;
