-- Removes this run's rows (row id at or above the run's first) of events
-- that turned out to be later deliveries of an earlier run's event.
DELETE FROM {table}
WHERE rowid >= ?
  AND event_id IN (SELECT event_id FROM stage_late);
