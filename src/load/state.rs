//! What earlier runs left behind: per-file read state and the next run id.

use std::collections::HashMap;

use duckdb::Connection;

use crate::decode::{Layout, ResumePoint};
pub use crate::records::PreviousFile;

/// Per-file state keyed by path.
pub fn previous_files(conn: &Connection) -> duckdb::Result<HashMap<String, PreviousFile>> {
    let mut stmt = conn.prepare(
        "SELECT path, size, epoch_us(modified), layout, resume_offset, resume_line,
                resume_fingerprint, first_run, coalesce(pending_bytes, 0)
         FROM source_files",
    )?;
    let rows = stmt.query_map([], |r| {
        let offset: Option<i64> = r.get(4)?;
        let line: Option<i64> = r.get(5)?;
        let fingerprint: Option<String> = r.get(6)?;
        let resume = match (offset, line, fingerprint) {
            (Some(o), Some(l), Some(f)) if o >= 0 && l >= 1 => Some(ResumePoint {
                offset: o as u64,
                line: l as u64,
                fingerprint: f,
            }),
            _ => None,
        };
        let layout: Option<String> = r.get(3)?;
        Ok((
            r.get::<_, String>(0)?,
            PreviousFile {
                size: r.get::<_, i64>(1)?.max(0) as u64,
                modified: r.get(2)?,
                layout: layout.as_deref().and_then(Layout::from_name),
                resume,
                first_run: r.get(7)?,
                pending_bytes: r.get::<_, i64>(8)?.max(0) as u64,
            },
        ))
    })?;
    rows.collect()
}

/// The id the next run gets.
pub fn next_run_id(conn: &Connection) -> duckdb::Result<i64> {
    conn.query_row("SELECT coalesce(max(run_id), 0) + 1 FROM runs", [], |r| {
        r.get(0)
    })
}
