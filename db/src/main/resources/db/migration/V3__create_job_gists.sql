-- The gists a job found while listing, with what the listing said of their files, and
-- each gist's outcome. A gist leaves 'pending' exactly once: that UPDATE is what makes
-- counting idempotent under redelivery.
CREATE TABLE job_gists (
	job_id      uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	gist_id     text        NOT NULL,
	page        integer     NOT NULL,
	html_url    text        NOT NULL,
	description text,
	updated_at  timestamptz,
	truncated   boolean     NOT NULL DEFAULT false,
	files       jsonb       NOT NULL,
	state       text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'scanned', 'skipped', 'failed')),
	matched     boolean     NOT NULL DEFAULT false,
	error       text,
	finished_at timestamptz,
	PRIMARY KEY (job_id, gist_id)
);

-- GET /jobs/{id}/matches pages through a job's matching gists by gist id.
CREATE INDEX job_gists_matched_idx ON job_gists (job_id, gist_id) WHERE matched;
