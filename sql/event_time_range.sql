-- The span of the events' created_at in epoch seconds: the times the
-- export's partition dates are taken from.
SELECT CAST(epoch(min(created_at)) AS BIGINT), CAST(epoch(max(created_at)) AS BIGINT)
FROM events;
