-- Rows per partition date of one table. {source} and {date} as in copy_partition.sql.
SELECT CAST({date} AS VARCHAR) AS event_date, count(*) AS n FROM {source} GROUP BY 1 ORDER BY 1;
