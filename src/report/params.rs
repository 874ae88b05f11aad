//! Report filters: time zone, local date range and configurations (zones
//! themselves are `crate::tz`).

use chrono::NaiveDate;
use chrono_tz::Tz;

/// What the reports are filtered and shown by.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportParams {
    /// Zone for local days and hours (None: inferred from the database,
    /// see `report::zone`).
    pub tz: Option<Tz>,
    /// First local day included.
    pub from: Option<NaiveDate>,
    /// Last local day included.
    pub to: Option<NaiveDate>,
    /// Only these configurations (empty: all).
    pub configs: Vec<String>,
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("invalid date {text:?}: expected YYYY-MM-DD, e.g. 2025-08-01"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_names_are_clear_errors() {
        assert!(parse_date("2025-02-30").unwrap_err().contains("YYYY-MM-DD"));
        assert_eq!(
            parse_date("2025-08-01"),
            NaiveDate::from_ymd_opt(2025, 8, 1).ok_or(String::new())
        );
    }
}
