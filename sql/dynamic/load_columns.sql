-- Data columns of the flattened tables, in table order.
SELECT r.table_name, r.column_name, r.json_path, r.data_type, r.first_run, r.changed_run
FROM hookstat_columns r
JOIN duckdb_columns() c USING (table_name, column_name)
WHERE c.database_name = current_database() AND c.schema_name = 'main'
ORDER BY r.table_name, c.column_index;
