-- The span of times local_ts is applied to, in epoch seconds: every
-- event's created_at (the export's partition dates, any event type) and
-- the Call Me Back request and slot times (the reports).
SELECT CAST(epoch(min(t0)) AS BIGINT), CAST(epoch(max(t1)) AS BIGINT)
FROM (
    SELECT min(created_at) AS t0, max(created_at) AS t1 FROM events
    UNION ALL
    SELECT min(least(coalesce(requested_at, created_at), coalesce(created_at, requested_at), coalesce(preferred_from, created_at))),
           max(greatest(coalesce(requested_at, created_at), coalesce(created_at, requested_at), coalesce(preferred_to, preferred_from, created_at)))
    FROM cmb_requests
);
