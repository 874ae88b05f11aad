-- A key seen for the first time: earlier rows get NULL.
ALTER TABLE {table} ADD COLUMN {column} {type};
