-- Dead letters, copied from the broker's dead-letter queue (gistgrep.dead) by a worker so
-- that someone sees them: listed and re-driven through /admin/dead-letters. The queue itself
-- is never peeked at (a quorum queue counts every delivery).
-- fingerprint: SHA-256 of the letter's message id, body and x-death history, so that a
-- letter the broker delivers again (its ack was lost) is stored once.
-- queue / routing_key: where the message was dead-lettered from, and the key that routes
-- it back there; reason: the broker's (rejected, delivery_limit, expired, maxlen).
-- death_count: how many times the broker dead-lettered it from that queue for that reason.
CREATE TABLE dead_letters (
	id                 bigserial PRIMARY KEY,
	fingerprint        bytea       NOT NULL UNIQUE,
	queue              text        NOT NULL,
	routing_key        text        NOT NULL,
	reason             text        NOT NULL,
	content_type       text,
	payload            bytea       NOT NULL,
	headers            text        NOT NULL,
	death_count        bigint      NOT NULL,
	first_dead_at      timestamptz NOT NULL,
	last_dead_at       timestamptz NOT NULL,
	stored_at          timestamptz NOT NULL DEFAULT now(),
	redriven_at        timestamptz
);

-- The letters still to see or re-drive: what the gauge counts and the redrive claims.
CREATE INDEX dead_letters_pending_idx ON dead_letters (queue, id) WHERE redriven_at IS NULL;
