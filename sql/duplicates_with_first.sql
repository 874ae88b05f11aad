-- Each later delivery of this run next to the first delivery's payload;
-- the loader compares them as JSON values (key order does not matter).
SELECT d.run_id, d.event_id, d.source_file, d.source_location, d.payload, e.payload
FROM stage_duplicates d
JOIN events e USING (event_id)
