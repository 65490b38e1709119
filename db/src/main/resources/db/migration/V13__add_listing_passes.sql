-- Listing passes (a job lists its user's gists again until a pass sees no change).
-- A gist's revision goes up each time a later pass finds its files changed; a scan
-- records its outcome only for the revision it read, so a scan of an older revision that
-- was in flight cannot count the gist.
ALTER TABLE job_gists ADD COLUMN revision integer NOT NULL DEFAULT 0;

-- What each page of a job's listing held at its last pass (a digest of its gists' ids,
-- update times and raw URLs), and whether that pass found it changed: a redelivered page
-- task reads the same answer again.
CREATE TABLE listing_pages (
	job_id  uuid    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	page    integer NOT NULL,
	pass    integer NOT NULL,
	digest  text    NOT NULL,
	changed boolean NOT NULL,
	PRIMARY KEY (job_id, page)
);
