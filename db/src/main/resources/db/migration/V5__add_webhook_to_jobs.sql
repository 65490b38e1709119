-- A job may ask to be told when it ends. The secret signs the deliveries (Standard
-- Webhooks): it must be kept to sign, so it is stored as given.
ALTER TABLE jobs ADD COLUMN webhook_url text;
ALTER TABLE jobs ADD COLUMN webhook_secret text;
