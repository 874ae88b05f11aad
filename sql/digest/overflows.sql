-- Budget overflows of tonight's run ($1): per event type, budget and
-- field, the events whose excess went to `_overflow` (or stayed in
-- `events` only, for the table budgets).
SELECT event_type, problem, field, count(DISTINCT event_id) AS events
FROM field_issues
WHERE run_id = $1 AND problem LIKE '%\_budget' ESCAPE '\'
GROUP BY ALL
ORDER BY event_type, problem, field;
