-- `hookstat schema`: every table and column with its type, the JSON path it
-- comes from and when it first appeared. Parameter: table name or NULL.
SELECT table_name, column_name, data_type, json_path, first_run, first_seen, changed_run
FROM columns
WHERE ($1 IS NULL OR table_name = $1)
  AND table_name NOT IN ('hookstat_meta', 'hookstat_tables', 'hookstat_columns')
ORDER BY table_name, column_index;
