-- A table for flattened events of one type (or one array of them).
-- {table} and {columns} are filled with quoted identifiers and SQL types.
CREATE TABLE IF NOT EXISTS {table} ({columns});
