-- A batch row carries a JSON array whose elements the relay publishes as one message
-- each: a listing page's fan-out of up to 100 scans is one row, written in the page's
-- transaction.
ALTER TABLE outbox ADD COLUMN batch boolean NOT NULL DEFAULT false;
