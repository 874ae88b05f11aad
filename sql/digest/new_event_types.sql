-- Event types tonight's run ($1) loaded that no earlier run had.
SELECT event_type, count(*) AS events
FROM events
WHERE run_id = $1
GROUP BY event_type
HAVING event_type NOT IN (SELECT DISTINCT event_type FROM events WHERE run_id < $1)
ORDER BY event_type;
