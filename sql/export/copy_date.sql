-- Writes one partition (one date) of one table as one Parquet file in a
-- staging folder; hookstat then moves it into place. {columns} and
-- {source} are hookstat's quoted identifiers and expressions; {bounds} is
-- the range of the event time that holds the date, as constants (row
-- groups outside it are skipped); {rows} is true, or only the rows of
-- newer runs (a file added to a partition); {in_date} selects the date.
COPY (
    SELECT {columns}
    FROM {source}
    WHERE ({bounds}) AND ({rows}) AND ({in_date})
)
TO {path} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ROW_GROUP_SIZE 122880);
