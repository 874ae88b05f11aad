-- How many later deliveries have other bytes than their first delivery (or
-- a first delivery stored before payload_hash existed): those are compared
-- as JSON values.
SELECT count(*)
FROM stage_duplicates d
JOIN stage_first e USING (event_id)
WHERE d.payload_hash IS DISTINCT FROM e.payload_hash;
