-- Writes a batch of changed partitions of one table as Parquet, one folder
-- per date (hookstat_partition=YYYY-MM-DD/) under a staging folder; hookstat
-- then moves each file into place. {columns}, {source}, {date} and {path}
-- are filled with quoted identifiers, hookstat's own expressions and a
-- quoted folder name; {bounds} is a range of the event time around the
-- batch's dates, as constants (row groups outside it are skipped); {rows}
-- is true, or only the rows of newer runs (a file added to a partition);
-- the dates to write are in the temp table export_dates.
COPY (
    SELECT {columns}, {date} AS hookstat_partition
    FROM {source}
    WHERE ({bounds}) AND ({rows})
      AND ({date} IN (SELECT d FROM export_dates)
           OR ({date} IS NULL AND EXISTS (SELECT 1 FROM export_dates WHERE d IS NULL)))
)
TO {path} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ROW_GROUP_SIZE 122880,
           PARTITION_BY (hookstat_partition), OVERWRITE_OR_IGNORE true);
