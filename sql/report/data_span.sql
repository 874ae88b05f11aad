-- The span of the events' times, in epoch seconds: the evidence that a
-- digit run near it in a report is a time, not a phone number.
SELECT CAST(epoch(min(created_at)) AS BIGINT), CAST(epoch(max(created_at)) AS BIGINT)
FROM events
