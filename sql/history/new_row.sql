-- One staged row ($1, its rowid): where it was read and the event as
-- delivered. A filter on rowid alone reads just that row's payload.
SELECT source_file, source_location, payload FROM stage_duplicates WHERE rowid = $1;
