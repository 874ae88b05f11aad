-- Later deliveries with the same bytes as the first delivery (the usual
-- retry), by the hash of the bytes: same content, no payload read.
INSERT INTO duplicate_deliveries
SELECT d.run_id, d.event_id, d.source_file, d.source_location, true, NULL
FROM stage_duplicates d
JOIN stage_first e USING (event_id)
WHERE d.payload_hash = e.payload_hash;
