-- Later deliveries whose bytes differ, with the loader's verdict; the
-- payload is kept only when the content differs.
INSERT INTO duplicate_deliveries
SELECT d.run_id, d.event_id, d.source_file, d.source_location, c.same_content,
       CASE WHEN c.same_content THEN NULL ELSE d.payload END
FROM stage_duplicates d
JOIN stage_compared c ON d.rowid = c.stage_row;
