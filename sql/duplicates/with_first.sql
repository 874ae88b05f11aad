-- Later deliveries of this run whose bytes differ from the first
-- delivery's, next to it; the loader compares them as JSON values (key
-- order and spacing do not count). Same-byte retries are settled in SQL
-- (identical.sql) and never leave the database.
SELECT d.rowid, d.payload, p.payload
FROM stage_duplicates d
JOIN stage_first f USING (event_id)
JOIN stage_first_payloads p USING (event_id)
WHERE d.payload_hash IS DISTINCT FROM f.payload_hash;
