-- Per-file outcome of a scanned gist, and the stored match lines (at most a configured
-- number per file; match_count holds them all).
CREATE TABLE gist_files (
	job_id      uuid    NOT NULL,
	gist_id     text    NOT NULL,
	filename    text    NOT NULL,
	language    text,
	size        bigint  NOT NULL,
	raw_url     text    NOT NULL,
	status      text    NOT NULL CHECK (status IN ('scanned', 'skipped')),
	skip_reason text,
	match_count integer NOT NULL DEFAULT 0,
	PRIMARY KEY (job_id, gist_id, filename),
	FOREIGN KEY (job_id, gist_id) REFERENCES job_gists (job_id, gist_id) ON DELETE CASCADE
);

CREATE TABLE file_matches (
	job_id     uuid    NOT NULL,
	gist_id    text    NOT NULL,
	filename   text    NOT NULL,
	ordinal    integer NOT NULL,
	line       integer NOT NULL,
	text       text    NOT NULL,
	text_start integer NOT NULL,
	start_col  integer NOT NULL,
	end_col    integer NOT NULL,
	PRIMARY KEY (job_id, gist_id, filename, ordinal),
	FOREIGN KEY (job_id, gist_id, filename) REFERENCES gist_files (job_id, gist_id, filename) ON DELETE CASCADE
);
