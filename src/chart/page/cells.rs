//! Table cells and column titles as a person reads them on the page:
//! rates as percentages, durations in minutes/hours/days, counts with
//! thousands separators, p-values to three digits, local-time columns
//! titled with their zone. The CSV files keep the raw values.

use crate::chart::units::{self, Unit};
use crate::report::definition::Report;

/// Phone-like cells are masked to their last 4 digits (the page is mailed
/// around); decimals are shortened.
pub fn readable(cell: &str) -> String {
    let digits = cell.strip_prefix('+').unwrap_or(cell);
    if (10..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        return format!(
            "{}{}",
            "*".repeat(digits.len() - 4),
            &digits[digits.len() - 4..]
        );
    }
    match cell.parse::<f64>() {
        Ok(v) if cell.contains(['.', 'e']) && v.is_finite() => {
            if v != 0.0 && v.abs() < 0.001 {
                format!("{v:.2e}")
            } else {
                let text = format!("{v:.4}");
                text.trim_end_matches('0').trim_end_matches('.').to_string()
            }
        }
        _ => cell.to_string(),
    }
}

/// How a column is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Show {
    /// In a unit.
    Unit(Unit),
    /// A p-value: three significant digits, "< 0.001" below.
    PValue,
    /// As it is (text, ids, dates).
    Plain,
}

/// The column's display: from the report's `format` header
/// (`col=percent, other=seconds`), else by name: `*_rate`, `share*`,
/// `ci_low`/`ci_high`, `p_best` are rates, `diff` percentage points,
/// `*_s` seconds, `p_value`/`p_holm` p-values, whole numbers counts.
pub fn show(report: Option<&Report>, column: &str) -> Show {
    if let Some(spec) = report.and_then(|r| r.get("format")) {
        for part in spec.split(',') {
            if let Some((c, u)) = part.split_once('=') {
                if c.trim() == column {
                    if u.trim() == "pvalue" {
                        return Show::PValue;
                    }
                    if let Ok(unit) = Unit::parse(u.trim()) {
                        return Show::Unit(unit);
                    }
                }
            }
        }
    }
    let c = column;
    if c.ends_with("_rate")
        || c.starts_with("share")
        || matches!(c, "ci_low" | "ci_high" | "p_best" | "rate")
    {
        Show::Unit(Unit::Percent)
    } else if c == "diff" || c.ends_with("_diff") {
        Show::Unit(Unit::Points)
    } else if c.ends_with("_s") {
        Show::Unit(Unit::Seconds)
    } else if matches!(c, "p_value" | "p_holm") {
        Show::PValue
    } else if c.ends_with("_id") || c == "hour" {
        Show::Plain
    } else {
        Show::Unit(Unit::Count)
    }
}

/// A cell as shown: numbers in the column's unit, the rest as
/// [`readable`].
pub fn cell(show: Show, text: &str) -> String {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.len() >= 10 && digits.bytes().all(|b| b.is_ascii_digit()) {
        return readable(text); // masked if phone-like
    }
    let Ok(v) = text.parse::<f64>() else {
        return readable(text);
    };
    if !v.is_finite() {
        return readable(text);
    }
    match show {
        Show::Unit(Unit::Count) if v == v.trunc() => units::format(Unit::Count, v),
        Show::Unit(Unit::Count) => readable(text),
        Show::Unit(unit) => units::format(unit, v),
        Show::PValue if v < 0.001 => "< 0.001".to_string(),
        Show::PValue => format!("{v:.3}"),
        Show::Plain => readable(text),
    }
}

/// The class that left-aligns a text cell (numbers stay right-aligned).
pub fn align(text: &str) -> &'static str {
    if text.is_empty() || text.parse::<f64>().is_ok() {
        ""
    } else {
        " class=\"t\""
    }
}

/// Column titles that hold local times carry the zone: `day`, `hour`,
/// `weekday`, `*_local`, `*_day` and any listed in the report's `local`
/// header.
pub fn title(report: Option<&Report>, column: &str, zone: &str) -> String {
    let listed = report
        .and_then(|r| r.get("local"))
        .is_some_and(|l| l.split(',').any(|c| c.trim() == column));
    let local = listed
        || matches!(column, "day" | "hour" | "weekday")
        || column.ends_with("_local")
        || column.ends_with("_day");
    // seconds columns are shown in minutes, hours or days: drop the `_s`
    let shown = column
        .strip_suffix("_s")
        .filter(|c| !c.is_empty())
        .unwrap_or(column);
    if local {
        format!("{shown} ({zone})")
    } else {
        shown.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_in_units_a_person_reads() {
        let s = |c: &str, v: &str| cell(show(None, c), v);
        assert_eq!(s("interest_rate", "0.5432"), "54.3%");
        assert_eq!(s("ci_low", "0.05"), "5.0%");
        assert_eq!(s("diff", "-0.041"), "−4.1 pp");
        assert_eq!(s("p50_s", "5400"), "1.5 h");
        assert_eq!(s("requests", "1234567"), "1,234,567");
        assert_eq!(s("p_holm", "0.00002"), "< 0.001");
        assert_eq!(s("p_value", "0.04321"), "0.043");
        assert_eq!(s("run_id", "12345"), "12345");
        assert_eq!(s("cmb_config_name", "CMB <b>"), "CMB <b>");
        assert_eq!(s("client", "919876543210"), "********3210");
        assert_eq!(s("requests", ""), "");
    }

    #[test]
    fn the_format_header_names_units_with_or_without_spaces() {
        let r = crate::report::definition::parse(
            "t",
            "t.sql",
            "-- format: cs_low=points, cs_high = points,best=percent\nSELECT 1",
        )
        .unwrap();
        let s = |c: &str, v: &str| cell(show(Some(&r), c), v);
        assert_eq!(s("cs_low", "-0.3892"), "−38.9 pp");
        assert_eq!(s("cs_high", "0.122"), "+12.2 pp");
        assert_eq!(s("best", "0.5"), "50.0%");
    }

    #[test]
    fn local_columns_name_their_zone() {
        assert_eq!(title(None, "day", "Asia/Kolkata"), "day (Asia/Kolkata)");
        assert_eq!(title(None, "requests", "Asia/Kolkata"), "requests");
        assert_eq!(title(None, "p50_s", "UTC"), "p50");
    }

    #[test]
    fn readable_numbers() {
        assert_eq!(readable("0.6775510204081633"), "0.6776");
        assert_eq!(readable("4.117140322001944e-7"), "4.12e-7");
        assert_eq!(readable("2.0"), "2");
        assert_eq!(readable("+919876543210"), "********3210");
    }
}
