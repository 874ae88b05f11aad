//! The summary an ingest run prints: as text for people, as one JSON object
//! for orchestrators (`--json`).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::load::RunCounts;

/// Everything a run reports.
#[derive(Debug, Clone, Serialize)]
pub struct IngestSummary {
    /// The run's id in `runs`.
    pub run_id: i64,
    /// Database file.
    pub database: String,
    /// Files discovered under the input paths.
    pub files_seen: u64,
    /// Entries that could not be inspected while walking folders.
    pub unreadable_entries: Vec<String>,
    /// Counts from the loader.
    #[serde(flatten)]
    pub counts: RunCounts,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Records framed per second.
    pub records_per_second: f64,
}

pub use crate::text::thousands;

fn breakdown(map: &BTreeMap<String, u64>) -> String {
    let mut parts: Vec<_> = map.iter().collect();
    parts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    parts
        .iter()
        .map(|(k, v)| format!("{k} {}", thousands(**v)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl IngestSummary {
    /// The summary as it may leave the machine: event types (names that
    /// may carry a phone number) and unreadable paths protected like every
    /// other output.
    pub fn protected(mut self, protector: &crate::pii::Protector) -> IngestSummary {
        self.counts.inserted_by_type = std::mem::take(&mut self.counts.inserted_by_type)
            .into_iter()
            .map(|(k, v)| (protector.name(&k).into_owned(), v))
            .collect();
        for entry in &mut self.unreadable_entries {
            *entry = protector.text(entry).into_owned();
        }
        self
    }

    /// The human-readable summary (several lines, no trailing newline).
    pub fn to_text(&self) -> String {
        let c = &self.counts;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "hookstat ingest: run {} into {}",
            self.run_id, self.database
        );
        let resumed = if c.files_resumed > 0 {
            format!(" ({} resumed after growing)", thousands(c.files_resumed))
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  files         {} seen: {} read{}, {} unchanged",
            thousands(self.files_seen),
            thousands(c.files_read),
            resumed,
            thousands(c.files_skipped)
        );
        if self.files_seen == 0 {
            let _ = writeln!(
                s,
                "  warning       no archive files under the paths given (is the archive there?)"
            );
        }
        let conflicts = if c.conflicts > 0 {
            format!(" ({} with different content)", thousands(c.conflicts))
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  records       {}: {} inserted, {} duplicates{}, {} quarantined",
            thousands(c.records),
            thousands(c.inserted),
            thousands(c.duplicates),
            conflicts,
            thousands(c.rejected)
        );
        if !c.inserted_by_type.is_empty() {
            let _ = writeln!(s, "  new events    {}", breakdown(&c.inserted_by_type));
        }
        if c.rejected > 0 {
            let _ = writeln!(s, "  quarantined   {}", breakdown(&c.rejected_by_reason));
        }
        if c.field_issues > 0 {
            let _ = writeln!(
                s,
                "  field issues  {}: {}",
                thousands(c.field_issues),
                breakdown(&c.field_issues_by_problem)
            );
        }
        if c.pending_bytes > 0 {
            let _ = writeln!(
                s,
                "  pending       {} bytes of records still being written (read when complete; see source_files.pending_bytes)",
                thousands(c.pending_bytes)
            );
        }
        for entry in &self.unreadable_entries {
            let _ = writeln!(s, "  unreadable    {entry}");
        }
        let _ = write!(
            s,
            "  time          {:.2} s, {} records/s",
            self.seconds,
            thousands(self.records_per_second.round() as u64)
        );
        s
    }
}
