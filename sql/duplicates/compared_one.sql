-- One later delivery ($1, its rowid) with the loader's verdict ($2: same
-- content); the payload is kept only when the content differs.
INSERT INTO duplicate_deliveries
SELECT d.run_id, d.event_id, d.source_file, d.source_location, $2,
       CASE WHEN $2 THEN NULL ELSE d.payload END
FROM stage_duplicates d
WHERE d.rowid = $1;
