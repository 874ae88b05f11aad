-- Reject reasons of tonight's run ($1) that no earlier run had.
SELECT reason, count(*) AS records
FROM rejects
WHERE run_id = $1
GROUP BY reason
HAVING reason NOT IN (SELECT DISTINCT reason FROM rejects WHERE run_id < $1)
ORDER BY reason;
