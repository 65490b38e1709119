-- API keys. Only the SHA-256 of a key is stored (keys are 256 random bits, so a plain
-- hash is enough); the prefix (first characters) lets an operator recognise a key in a
-- listing. A revoked key keeps its row, so that a listing shows when it was revoked.
CREATE TABLE api_keys (
	id         uuid PRIMARY KEY,
	tenant     text        NOT NULL,
	hash       bytea       NOT NULL UNIQUE,
	prefix     text        NOT NULL,
	name       text        NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	revoked_at timestamptz
);
