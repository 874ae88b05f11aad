-- Later deliveries of this run whose bytes differ from the first
-- delivery's; the loader compares them as JSON values (key order and
-- spacing do not count). Byte-identical retries are settled in SQL
-- (identical_duplicates.sql) and never leave the database.
SELECT d.rowid, d.payload, e.payload
FROM stage_duplicates d
JOIN stage_first e USING (event_id)
WHERE d.payload <> e.payload
