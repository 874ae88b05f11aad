-- This run's ($1) tentative first deliveries (ids the filter of stored ids
-- may have seen) that no earlier run loaded: the filter's false positives,
-- loaded as events when the run finishes (the first staged row of each
-- id). Stored rows are matched on the 8-byte id_hash first and confirmed
-- on the ids. Only the staged rows' positions are kept: their payloads are
-- read one row at a time (new_row.sql), since a scan of staged payloads
-- holds a whole vector of them at once (a night re-delivering large
-- events did not fit in DuckDB's buffer).
CREATE OR REPLACE TEMP TABLE stage_new AS
WITH tentative AS (
    SELECT rowid AS stage_row, event_id, id_hash
    FROM stage_duplicates
    WHERE tentative
),
known AS (
    SELECT e.event_id
    FROM events e
    WHERE e.run_id < $1 AND e.id_hash IN (SELECT id_hash FROM tentative)
)
SELECT t.stage_row
FROM tentative t
ANTI JOIN known k USING (event_id)
QUALIFY row_number() OVER (PARTITION BY t.event_id ORDER BY t.stage_row) = 1;
