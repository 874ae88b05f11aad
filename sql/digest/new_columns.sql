-- Columns created from the data by tonight's run ($1), in tables that
-- existed before it or were created by it (the `_overflow` column is a
-- budget overflow, listed as such).
SELECT table_name, column_name, json_path, data_type
FROM hookstat_columns
WHERE first_run = $1 AND column_name <> '_overflow'
ORDER BY table_name, column_name;
