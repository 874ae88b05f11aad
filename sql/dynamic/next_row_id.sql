-- The row id the next appended row of {table} gets: this run's rows are
-- the ones at or above it (appends only ever go after existing rows).
SELECT coalesce(max(rowid) + 1, 0) FROM {table};
