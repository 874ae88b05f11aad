-- Settles a run inside its transaction: compares later deliveries with the
-- first one and records what was read from each file. Parameter: none (the
-- staging tables carry the run id).
INSERT INTO duplicate_deliveries
SELECT d.run_id,
       d.event_id,
       d.source_file,
       d.source_location,
       json(d.payload) = json(e.payload) AS same_content,
       CASE WHEN json(d.payload) = json(e.payload) THEN NULL ELSE d.payload END
FROM stage_duplicates d
JOIN events e USING (event_id);

INSERT OR REPLACE INTO source_files
SELECT s.path, s.size, s.modified, s.fingerprint, s.layout, s.compressed,
       s.records + coalesce(p.records, 0),
       s.rejects + coalesce(p.rejects, 0),
       s.resume_offset, s.resume_line, s.resume_fingerprint,
       coalesce(p.first_run, s.first_run),
       s.last_run
FROM stage_source_files s
LEFT JOIN source_files p USING (path);
