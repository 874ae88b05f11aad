-- Records a table hookstat created from the data. Parameters: table_name,
-- event_type, json_path, parent_table, first_run.
INSERT OR IGNORE INTO hookstat_tables VALUES (?, ?, ?, ?, ?);
