-- How many events are stored (sizes the filter of stored ids), and how
-- many of them still lack their id_hash (stored by an earlier version).
SELECT count(*), count(*) FILTER (WHERE id_hash IS NULL) FROM events;
