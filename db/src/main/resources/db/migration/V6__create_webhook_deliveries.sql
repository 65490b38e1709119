-- One delivery per ended job that asked for a webhook; its id is the stable webhook-id.
-- The body is fixed at the first attempt so that every retry sends the same bytes.
CREATE TABLE webhook_deliveries (
	id           uuid PRIMARY KEY,
	job_id       uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	event_type   text        NOT NULL,
	status       text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'gone')),
	body         text,
	attempts     integer     NOT NULL DEFAULT 0,
	next_attempt_at timestamptz,
	created_at   timestamptz NOT NULL DEFAULT now(),
	finished_at  timestamptz,
	UNIQUE (job_id, event_type)
);

CREATE TABLE webhook_attempts (
	delivery_id  uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
	attempt      integer     NOT NULL,
	attempted_at timestamptz NOT NULL,
	status_code  integer,
	latency_ms   integer     NOT NULL,
	error        text,
	PRIMARY KEY (delivery_id, attempt)
);
