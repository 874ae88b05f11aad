-- The later deliveries with other bytes than their first delivery, in the
-- order the run read them (compared one pair at a time).
SELECT d.rowid
FROM stage_duplicates d
JOIN stage_first e USING (event_id)
WHERE d.payload_hash IS DISTINCT FROM e.payload_hash
ORDER BY d.rowid;
