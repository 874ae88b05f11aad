-- The span of Call Me Back times, in epoch seconds, for the offset table.
SELECT CAST(epoch(min(least(coalesce(requested_at, created_at), coalesce(created_at, requested_at), coalesce(preferred_from, created_at)))) AS BIGINT),
       CAST(epoch(max(greatest(coalesce(requested_at, created_at), coalesce(created_at, requested_at), coalesce(preferred_to, preferred_from, created_at)))) AS BIGINT)
FROM cmb_requests;
