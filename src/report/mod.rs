//! Stage 6: reports. Each report is a `.sql` file (`reports/`, embedded,
//! plus any dropped into the reports folder) run against a read-only
//! connection prepared with filters and helper macros
//! (`sql/report/prelude.sql`).

pub mod decide;
pub mod decision;
pub mod definition;
pub mod headline;
pub mod params;
pub mod run;
pub mod spreadsheet;
pub mod stats_sql;
pub mod table;
pub mod zone;
