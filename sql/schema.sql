-- hookstat database schema. Table and column names are a contract: reports,
-- exports and analysts query them. Every statement is idempotent.
-- Every TIMESTAMP column holds a UTC instant. (TIMESTAMPTZ is not used: its
-- arithmetic, truncation and casts need DuckDB's ICU extension, which is not
-- compiled into hookstat and is never downloaded.)

CREATE TABLE IF NOT EXISTS hookstat_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- One row per ingest run.
CREATE TABLE IF NOT EXISTS runs (
    run_id           BIGINT PRIMARY KEY,
    started_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP NOT NULL,
    hookstat_version VARCHAR NOT NULL,
    inputs           VARCHAR NOT NULL,   -- JSON array of the paths given
    files_seen       BIGINT NOT NULL,
    files_read       BIGINT NOT NULL,
    files_skipped    BIGINT NOT NULL,    -- unchanged since an earlier run
    records          BIGINT NOT NULL,    -- = inserted + duplicates + rejected
    inserted         BIGINT NOT NULL,
    duplicates       BIGINT NOT NULL,
    conflicts        BIGINT NOT NULL,    -- duplicates whose content differs
    rejected         BIGINT NOT NULL,
    field_issues     BIGINT NOT NULL,
    seconds          DOUBLE NOT NULL
);





-- Later deliveries of an event_id already loaded (retries).
CREATE TABLE IF NOT EXISTS duplicate_deliveries (
    run_id          BIGINT NOT NULL,
    event_id        VARCHAR NOT NULL,
    source_file     VARCHAR NOT NULL,
    source_location VARCHAR NOT NULL,
    same_content    BOOLEAN NOT NULL,
    payload         JSON                 -- kept only when the content differs
);

-- The fixed tables (events, cmb_requests, field_issues, rejects,
-- source_files) are declared once in src/load/store/tables.rs and created from
-- there before this file runs. Databases of earlier versions get the
-- columns added since:
ALTER TABLE source_files ADD COLUMN IF NOT EXISTS pending_bytes BIGINT;
ALTER TABLE events ADD COLUMN IF NOT EXISTS id_hash BIGINT;
ALTER TABLE events ADD COLUMN IF NOT EXISTS payload_hash BIGINT;

INSERT OR IGNORE INTO hookstat_meta VALUES ('schema_version', '1');
-- Which database this is (an export folder written from another one is
-- written again whole).
INSERT OR IGNORE INTO hookstat_meta VALUES ('database_id', CAST(uuid() AS VARCHAR));

-- Columns an export found to hold phone numbers: protected whole in every
-- later export, even when later nights look harmless.
CREATE TABLE IF NOT EXISTS pii_columns (
    table_name   VARCHAR NOT NULL,
    column_name  VARCHAR NOT NULL,
    first_export TIMESTAMP NOT NULL,
    PRIMARY KEY (table_name, column_name)
);

-- Tables and columns created from the data (flattened payloads), with the
-- JSON path each comes from and the run that first saw it.
CREATE TABLE IF NOT EXISTS hookstat_tables (
    table_name   VARCHAR PRIMARY KEY,
    event_type   VARCHAR NOT NULL,
    json_path    VARCHAR NOT NULL,       -- '$' for an event table, '$.x[*]' for a child
    parent_table VARCHAR,
    first_run    BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS hookstat_columns (
    table_name  VARCHAR NOT NULL,
    column_name VARCHAR NOT NULL,
    json_path   VARCHAR NOT NULL,
    data_type   VARCHAR NOT NULL,
    first_run   BIGINT NOT NULL,
    changed_run BIGINT NOT NULL,         -- run that last added or widened it
    PRIMARY KEY (table_name, column_name)
);

-- Every column of every hookstat table: its type, the JSON path it comes
-- from (NULL for fixed columns) and when it first appeared.
CREATE OR REPLACE VIEW columns AS
SELECT c.table_name,
       c.column_index,
       c.column_name,
       c.data_type,
       r.json_path,
       r.first_run,
       first.started_at AS first_seen,
       r.changed_run
FROM duckdb_columns() c
LEFT JOIN hookstat_columns r USING (table_name, column_name)
LEFT JOIN runs first ON first.run_id = r.first_run
WHERE c.database_name = current_database()
  AND c.schema_name = 'main'
  AND NOT c.internal
  AND c.table_name NOT IN ('columns')
ORDER BY c.table_name, c.column_index;
