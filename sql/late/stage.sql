-- This run's rows of late duplicates become staged later deliveries,
-- compared with the first delivery like any other duplicate.
INSERT INTO stage_duplicates
SELECT run_id, event_id, source_file, source_location, payload::VARCHAR
FROM events
WHERE run_id = ? AND event_id IN (SELECT event_id FROM stage_late);
