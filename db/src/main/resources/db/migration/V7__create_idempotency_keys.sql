-- Idempotency-Key of POST /jobs, per tenant. A key is claimed (processing) in its own
-- transaction, so that a concurrent duplicate can be told apart (409) from a replay.
CREATE TABLE idempotency_keys (
	tenant        text        NOT NULL,
	key           text        NOT NULL,
	request_hash  text        NOT NULL,
	job_id        uuid,
	response_body text,
	created_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant, key)
);

CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
