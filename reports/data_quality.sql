-- title: Data quality per ingest run
-- description: What each run read, loaded, skipped as duplicate and quarantined (by reason).
-- chart: stacked
-- x: run_id
-- y: inserted, duplicates, rejected
-- y_label: records
-- y_unit: count
-- x_label: ingest run
SELECT r.run_id,
       r.files_read,
       r.records,
       r.inserted,
       r.duplicates,
       r.rejected,
       r.field_issues,
       count(j.reason) FILTER (WHERE j.reason = 'invalid_json') AS rejected_invalid_json,
       count(j.reason) FILTER (WHERE j.reason = 'truncated') AS rejected_truncated,
       count(j.reason) FILTER (WHERE j.reason = 'invalid_utf8') AS rejected_invalid_utf8,
       count(j.reason) FILTER (WHERE j.reason = 'not_an_object') AS rejected_not_an_object,
       count(j.reason) FILTER (WHERE j.reason = 'missing_event_id') AS rejected_missing_event_id,
       count(j.reason) FILTER (WHERE j.reason = 'missing_event_type') AS rejected_missing_event_type,
       count(j.reason) FILTER (WHERE j.reason = 'too_large') AS rejected_too_large,
       count(j.reason) FILTER (WHERE j.reason = 'read_error') AS rejected_read_error,
       count(j.reason) FILTER (WHERE j.reason = 'unsupported_format') AS rejected_unsupported_format
FROM runs r
LEFT JOIN rejects j USING (run_id)
GROUP BY ALL
ORDER BY r.run_id;
