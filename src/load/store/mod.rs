//! Storage mechanics of the load stage: how rows reach DuckDB, whatever
//! they mean. It owns the database file (`db.rs`: opening it, the fixed
//! schema, lock errors), the fixed tables' specs (`tables.rs`: DDL, Arrow
//! schema and row writer from one declaration), the column buffers that
//! become Arrow batches (`batch.rs`), the writer thread that owns the
//! run's connection while rows stream in (`writer.rs`) and the Arrow scan
//! it inserts batches with (`arrow_scan.rs`). It decides nothing about
//! which rows to keep (`crate::dedup`) or which columns a table has
//! (`super::schema`).

mod arrow_scan;
pub(super) mod batch;
pub mod db;
pub(crate) mod tables;
pub(super) mod writer;
