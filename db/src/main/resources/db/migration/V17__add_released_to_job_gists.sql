-- Fairness across jobs: a job's scan tasks are sent a window at a time. A gist is
-- 'released' once its scan task is sent; each batch that counts a job's gists releases
-- the next ones. Rows already there had their tasks sent: released. New rows wait.
ALTER TABLE job_gists ADD COLUMN released boolean NOT NULL DEFAULT true;
ALTER TABLE job_gists ALTER COLUMN released SET DEFAULT false;
