-- Rows and non-NULL values per column in one table, for tonight's run ($1)
-- and an earlier run ($2): {counts} is one count(t."col") per column.
SELECT e.run_id = $1 AS tonight, count(*) AS n, {counts}
FROM {table} t
JOIN (SELECT event_id, run_id FROM events WHERE run_id IN ($1, $2)) e
  ON e.event_id = t.event_id
GROUP BY 1
ORDER BY 1;
