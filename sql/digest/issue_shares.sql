-- Per run (the latest $2 runs up to tonight's, $1, that loaded events),
-- business account and event type: events loaded, and those with at least
-- one field issue.
WITH recent AS (
    SELECT run_id FROM runs WHERE run_id <= $1 AND inserted > 0
    ORDER BY run_id DESC LIMIT $2
),
loaded AS (
    SELECT run_id, coalesce(client_account_id, '') AS account, event_type,
           count(*) AS events
    FROM events
    WHERE run_id IN (SELECT run_id FROM recent)
    GROUP BY ALL
),
issues AS (
    SELECT e.run_id, coalesce(e.client_account_id, '') AS account, e.event_type,
           count(DISTINCT f.event_id) AS with_issue
    FROM field_issues f
    JOIN events e ON e.event_id = f.event_id AND e.run_id = f.run_id
    WHERE f.run_id IN (SELECT run_id FROM recent)
    GROUP BY ALL
)
SELECT l.run_id, l.account, l.event_type, l.events, coalesce(i.with_issue, 0) AS with_issue
FROM loaded l
LEFT JOIN issues i USING (run_id, account, event_type)
ORDER BY l.account, l.event_type, l.run_id;
