-- The first value tonight's run ($1) stored in one column, as text.
SELECT CAST(t.{column} AS VARCHAR)
FROM {table} t
WHERE t.{column} IS NOT NULL
  AND t.event_id IN (SELECT event_id FROM events WHERE run_id = $1)
ORDER BY t.rowid
LIMIT 1;
