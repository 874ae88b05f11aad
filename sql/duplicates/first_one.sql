-- The first delivery's payload of event $1, within {bounds} (constants
-- from first_bounds.sql, so that zone maps prune); filtered on the id, so
-- only that row's payload is read.
SELECT e.payload::VARCHAR FROM events e WHERE e.event_id = $1 AND {bounds} LIMIT 1;
