-- Until when some of a job's work is parked on a GitHub rate limit or a throttled content
-- host, as the job document's progress.waiting_for_github_until shows it (while in the
-- future and the job not finished). Only ever moved later by the worker that parks work.
ALTER TABLE jobs ADD COLUMN waiting_for_github_until timestamptz;
