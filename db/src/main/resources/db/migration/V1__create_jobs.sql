-- One search of one user's gists. Counters are updated in place by the workers; the
-- status moves only through guarded UPDATEs (see JobRepository).
CREATE TABLE jobs (
	id            uuid PRIMARY KEY,
	tenant        text        NOT NULL,
	status        text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
	username      text        NOT NULL,
	pattern       text        NOT NULL,
	gists_total   integer,
	gists_scanned integer     NOT NULL DEFAULT 0,
	gists_matched integer     NOT NULL DEFAULT 0,
	gists_skipped integer     NOT NULL DEFAULT 0,
	gists_failed  integer     NOT NULL DEFAULT 0,
	created_at    timestamptz NOT NULL DEFAULT now(),
	started_at    timestamptz,
	finished_at   timestamptz,
	error         jsonb
);

-- GET /jobs lists a tenant's jobs newest first, by keyset.
CREATE INDEX jobs_tenant_created_idx ON jobs (tenant, created_at DESC, id DESC);
