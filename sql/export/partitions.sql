-- Rows per partition date of one table. {source} and {date} as in
-- copy_partition.sql; {rows} is a condition on the rows counted (true, or
-- the rows of newer runs within a range of event times).
SELECT CAST({date} AS VARCHAR) AS event_date, count(*) AS n
FROM {source}
WHERE ({rows})
GROUP BY 1
ORDER BY 1;
