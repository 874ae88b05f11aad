-- Columns tonight's run ($1) widened (they existed before it).
SELECT table_name, column_name, json_path, data_type
FROM hookstat_columns
WHERE changed_run = $1 AND first_run < $1 AND column_name <> '_overflow'
ORDER BY table_name, column_name;
