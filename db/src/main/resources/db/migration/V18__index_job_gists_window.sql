-- The window of each job: its scans in flight (pending and released) are counted, and its
-- next gists to release (pending, not released) are taken in gist id order.
CREATE INDEX job_gists_in_flight_idx ON job_gists (job_id) WHERE state = 'pending' AND released;
CREATE INDEX job_gists_unreleased_idx ON job_gists (job_id, gist_id) WHERE state = 'pending' AND NOT released;
