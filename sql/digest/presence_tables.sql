-- Event tables (not child tables) that hold rows of tonight's run ($1),
-- with their event type and the latest earlier run that loaded that type.
WITH tables AS (
    SELECT 'cmb_requests' AS table_name, 'cmb' AS event_type
    UNION
    SELECT table_name, event_type FROM hookstat_tables WHERE json_path = '$'
),
tonight AS (
    SELECT DISTINCT event_type FROM events WHERE run_id = $1
)
SELECT t.table_name,
       (SELECT max(run_id) FROM events e
         WHERE e.event_type = t.event_type AND e.run_id < $1) AS previous_run
FROM tables t
JOIN tonight USING (event_type)
JOIN duckdb_tables() d ON d.table_name = t.table_name AND d.schema_name = 'main'
ORDER BY t.table_name;
