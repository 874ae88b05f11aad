-- Events this run ($1) inserted whose event_id an earlier run already
-- loaded: later deliveries of those events (first delivery wins). One hash
-- join of this run's ids against the stored ids, instead of holding every
-- known id in memory.
CREATE OR REPLACE TEMP TABLE stage_late AS
SELECT DISTINCT o.event_id
FROM events o
SEMI JOIN (SELECT event_id FROM events WHERE run_id = $1) n USING (event_id)
WHERE o.run_id < $1;
