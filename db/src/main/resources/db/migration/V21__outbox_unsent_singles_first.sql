-- The relay sends single messages (a job's start, a listing's next page, a webhook) before
-- fan-outs written earlier: a job's listing moves on while scans of earlier pages and
-- refills of running jobs are published. Unsent rows are read in (batch, id) order.
CREATE INDEX outbox_unsent_singles_first_idx ON outbox (batch, id) WHERE sent_at IS NULL;
