-- The retention task deletes finished jobs by age, in batches.
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;
-- GET /jobs?status=… filters a tenant's jobs by status, newest first.
CREATE INDEX jobs_tenant_status_created_idx ON jobs (tenant, status, created_at DESC, id DESC);
