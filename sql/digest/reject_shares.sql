-- Records read and quarantined by the latest $2 runs up to tonight's ($1)
-- that read records (a quarantined record has no business account).
SELECT run_id, records, rejected
FROM runs
WHERE run_id <= $1 AND records > 0
ORDER BY run_id DESC
LIMIT $2;
