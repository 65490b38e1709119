-- The W3C traceparent of the span that wrote the row (the submission's request, a
-- listener's message), so that the relay, which publishes on a thread of its own,
-- continues that trace. Null for rows written without a trace, and for those written
-- before this column: they publish without a parent, as before.
ALTER TABLE outbox ADD COLUMN traceparent text;
