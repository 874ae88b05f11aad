-- Settles a run inside its transaction: records what was read from each
-- file (counts accumulate over runs).
INSERT OR REPLACE INTO source_files
SELECT s.path, s.size, s.modified, s.fingerprint, s.layout, s.compressed,
       s.records + coalesce(p.records, 0),
       s.rejects + coalesce(p.rejects, 0),
       s.resume_offset, s.resume_line, s.resume_fingerprint,
       coalesce(p.first_run, s.first_run),
       s.last_run,
       s.pending_bytes
FROM stage_source_files s
LEFT JOIN source_files p USING (path);
