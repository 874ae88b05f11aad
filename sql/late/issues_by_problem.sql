-- Field issues this run recorded for events that were late duplicates.
SELECT problem, count(*)
FROM field_issues
WHERE run_id = ? AND event_id IN (SELECT event_id FROM stage_late)
GROUP BY problem;
