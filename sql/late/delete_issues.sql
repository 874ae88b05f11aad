-- Field issues this run recorded for its late duplicates.
DELETE FROM field_issues
WHERE run_id = ? AND event_id IN (SELECT event_id FROM stage_late);
