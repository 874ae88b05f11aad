-- Per-run staging, created inside the run's transaction.
CREATE OR REPLACE TEMP TABLE stage_source_files AS
    SELECT * FROM source_files LIMIT 0;
CREATE OR REPLACE TEMP TABLE stage_compared (
    stage_row    BIGINT,
    same_content BOOLEAN
);
