-- Transactional outbox: a job and the message that starts it are written in one
-- transaction; the relay publishes with confirms and then marks the row sent.
CREATE TABLE outbox (
	id          bigserial PRIMARY KEY,
	exchange    text        NOT NULL,
	routing_key text        NOT NULL,
	payload     text        NOT NULL,
	created_at  timestamptz NOT NULL DEFAULT now(),
	sent_at     timestamptz
);

CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
