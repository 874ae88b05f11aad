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

-- One row per distinct event_id ever seen; the first delivery wins.
CREATE TABLE IF NOT EXISTS events (
    event_id          VARCHAR NOT NULL,  -- unique: the loader deduplicates
    event_type        VARCHAR NOT NULL,
    client_account_id VARCHAR,
    created_at        TIMESTAMP,
    source_file       VARCHAR NOT NULL,
    source_location   VARCHAR NOT NULL,  -- 'line N' or 'byte N' (decompressed)
    run_id            BIGINT NOT NULL,
    payload           JSON NOT NULL      -- the original event, as delivered
);

-- Call Me Back requests, typed and flattened from cmb_payload.
CREATE TABLE IF NOT EXISTS cmb_requests (
    event_id                VARCHAR NOT NULL,
    client_account_id       VARCHAR,
    created_at              TIMESTAMP,
    business_number         VARCHAR,
    feature_set             VARCHAR,
    client_number           VARCHAR,
    client_number_available BOOLEAN,
    alternate_number        VARCHAR,
    requested_at            TIMESTAMP,
    requested_date          DATE,
    requested_slot          VARCHAR,
    preferred_from          TIMESTAMP,
    preferred_to            TIMESTAMP,
    is_interested           BOOLEAN,
    cmb_config_name         VARCHAR
);

-- Values that could not be coerced: the column is NULL, the event is kept.
CREATE TABLE IF NOT EXISTS field_issues (
    run_id     BIGINT NOT NULL,
    event_id   VARCHAR NOT NULL,
    event_type VARCHAR NOT NULL,
    field      VARCHAR NOT NULL,
    raw_value  VARCHAR NOT NULL,
    problem    VARCHAR NOT NULL
);

-- Records that could not become events.
CREATE TABLE IF NOT EXISTS rejects (
    run_id          BIGINT NOT NULL,
    source_file     VARCHAR NOT NULL,
    source_location VARCHAR NOT NULL,
    reason          VARCHAR NOT NULL,    -- stable code, e.g. 'truncated'
    message         VARCHAR NOT NULL,
    raw             VARCHAR NOT NULL     -- first 4 KB, bytes escaped
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

-- What was read from each file, for incremental runs.
CREATE TABLE IF NOT EXISTS source_files (
    path               VARCHAR PRIMARY KEY,
    size               BIGINT NOT NULL,
    modified           TIMESTAMP,
    fingerprint        VARCHAR,          -- xxh3-128 of the file's bytes
    layout             VARCHAR,          -- lines | concatenated | array | empty
    compressed         BOOLEAN NOT NULL,
    records            BIGINT NOT NULL,  -- over all runs
    rejects            BIGINT NOT NULL,  -- over all runs
    resume_offset      BIGINT,           -- bytes read; NULL if not resumable
    resume_line        BIGINT,
    resume_fingerprint VARCHAR,
    first_run          BIGINT NOT NULL,
    last_run           BIGINT NOT NULL,
    pending_bytes      BIGINT            -- incomplete last record left for a later run
);
ALTER TABLE source_files ADD COLUMN IF NOT EXISTS pending_bytes BIGINT;

INSERT OR IGNORE INTO hookstat_meta VALUES ('schema_version', '1');

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
