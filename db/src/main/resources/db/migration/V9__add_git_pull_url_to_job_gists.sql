-- The URL to clone a gist from, as its listing gave it: a scan that needs a clone (a file
-- over the raw limit, or a truncated file list) then needs no further API request.
ALTER TABLE job_gists ADD COLUMN git_pull_url text;
