-- This run's rows of its late duplicates (the earlier run's rows stay).
DELETE FROM events
WHERE run_id = ? AND event_id IN (SELECT event_id FROM stage_late);
