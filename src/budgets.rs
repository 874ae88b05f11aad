//! Budgets: every quantity that input controls has a ceiling with a default
//! no real webhook payload reaches. Going over one is data, never an error:
//! the event still loads, the part over budget is kept as JSON in the
//! row's `_overflow` column, and a `field_issues` row names the budget.

use std::time::Duration;

use serde::Deserialize;

/// Ceilings for one ingest run (also the `[budgets]` table of the TOML
/// configuration; absent keys keep their defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Budgets {
    /// Scalar leaves flattened into cells, per event.
    pub max_leaves: usize,
    /// Array elements flattened into child rows, per event.
    pub max_array_elements: usize,
    /// Nesting depth flattened (the event object is level 1).
    pub max_depth: usize,
    /// Data columns per flattened table.
    pub max_columns: usize,
    /// New columns per run, all tables together.
    pub max_new_columns: usize,
    /// Flattened tables in the database (event types and their arrays).
    pub max_tables: usize,
    /// New flattened tables per run.
    pub max_new_tables: usize,
    /// Event ids of the run held in memory for deduplication within the
    /// run (the most recent ones; about 40 bytes each). A run with more is
    /// checked by one query before it commits, and loaded again with every
    /// id in memory if a duplicate slipped past.
    pub max_ids_in_memory: usize,
}

impl Default for Budgets {
    fn default() -> Self {
        Budgets {
            max_leaves: 10_000,
            max_array_elements: 10_000,
            max_depth: 32,
            max_columns: 1_000,
            max_new_columns: 5_000,
            max_tables: 1_000,
            max_new_tables: 200,
            max_ids_in_memory: 4_000_000,
        }
    }
}

/// How long a plain file's incomplete last record may wait for the rest:
/// by default a file whose last change is less than a day old may still be
/// written to.
pub const DEFAULT_SETTLE_TIME: Duration = Duration::from_secs(24 * 3600);

/// Parses a settle time such as `24h`, `30m`, `90s`, `2d` or `0`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if t == "0" {
        return Ok(Duration::ZERO);
    }
    humantime::parse_duration(t)
        .map_err(|e| format!("expected a duration such as 24h, 30m or 0s, got {text:?}: {e}"))
}

/// Which budget a part of an event went over; the code is the
/// `field_issues.problem`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Budget {
    /// [`Budgets::max_leaves`].
    Leaves,
    /// [`Budgets::max_array_elements`].
    ArrayElements,
    /// [`Budgets::max_depth`].
    Depth,
    /// [`Budgets::max_columns`].
    Columns,
    /// [`Budgets::max_new_columns`].
    NewColumns,
    /// [`Budgets::max_tables`].
    Tables,
    /// [`Budgets::max_new_tables`].
    NewTables,
}

impl Budget {
    /// Stable code stored in `field_issues.problem`.
    pub fn code(self) -> &'static str {
        match self {
            Budget::Leaves => "leaf_budget",
            Budget::ArrayElements => "array_budget",
            Budget::Depth => "depth_budget",
            Budget::Columns => "column_budget",
            Budget::NewColumns => "new_column_budget",
            Budget::Tables => "table_budget",
            Budget::NewTables => "new_table_budget",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("24h"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1_800)));
        assert!(parse_duration("soon").is_err());
    }
}
