-- Writes one partition of one table as Parquet. {columns}, {source}, {date}
-- and {path} are filled with quoted identifiers, hookstat's own expressions
-- and a quoted file name; the partition date is a parameter.
COPY (SELECT {columns} FROM {source} WHERE {date} IS NOT DISTINCT FROM CAST(? AS DATE))
TO {path} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880);
