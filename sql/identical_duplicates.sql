-- Byte-identical later deliveries (the usual retry): same content.
INSERT INTO duplicate_deliveries
SELECT d.run_id, d.event_id, d.source_file, d.source_location, true, NULL
FROM stage_duplicates d
JOIN stage_first e USING (event_id)
WHERE d.payload = e.payload;
