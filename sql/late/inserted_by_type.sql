-- How many of this run's inserted events per type were late duplicates.
SELECT event_type, count(*)
FROM events
WHERE run_id = ? AND event_id IN (SELECT event_id FROM stage_late)
GROUP BY event_type;
