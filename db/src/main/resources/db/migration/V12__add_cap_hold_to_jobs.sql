-- The running-jobs cap per tenant. A queued job the cap holds back has held_since set
-- (so that a stuck-job reaper can tell it from a lost one); when a job of its tenant ends,
-- the oldest held job is released: held_since cleared, released_at set (its slot is
-- reserved until its start task arrives) and a StartJob written to the outbox.
ALTER TABLE jobs ADD COLUMN held_since timestamptz;
ALTER TABLE jobs ADD COLUMN released_at timestamptz;

-- The cap's counts and the release look at a tenant's queued and running jobs only.
CREATE INDEX jobs_tenant_active_idx ON jobs (tenant, created_at, id) WHERE status IN ('queued', 'running');
