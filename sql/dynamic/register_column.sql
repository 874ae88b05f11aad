-- Records (or updates the type of) a column created from the data.
-- Parameters: table_name, column_name, json_path, data_type, first_run, changed_run.
INSERT OR REPLACE INTO hookstat_columns VALUES (?, ?, ?, ?, ?, ?);
