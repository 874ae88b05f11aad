-- One later delivery ($1, its rowid in stage_duplicates): its id and
-- payload. A filter on rowid alone reads just that row's payload.
SELECT event_id, payload FROM stage_duplicates WHERE rowid = $1;
