-- Whether this run ($1) inserted an event_id twice: possible only when the
-- run held more ids than it keeps in memory (max_ids_in_memory). Grouped by
-- the stored hash of the id first (`id_hash`, written with every row), so
-- that the work is one pass over 8-byte keys without hashing any text;
-- candidates are confirmed on the ids themselves.
WITH candidates AS (
    SELECT id_hash AS h
    FROM events
    WHERE run_id = $1
    GROUP BY h
    HAVING count(*) > 1
)
SELECT count(*) FROM (
    SELECT event_id
    FROM events
    WHERE run_id = $1 AND id_hash IN (SELECT h FROM candidates)
    GROUP BY event_id
    HAVING count(*) > 1
);
