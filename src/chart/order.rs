//! The order of axis values: weekdays Monday to Sunday, hours 0 to 23
//! (every hour, also those without data), dates as a continuous range of
//! days, anything else in order of appearance.

use chrono::{Duration, NaiveDate};

/// Weekday names in ISO order (Monday first).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Values in order of first appearance, each once.
pub fn unique(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

/// The values an axis shows for `values` (empty stays empty); `hours`:
/// integers within 0..=23 are hours of a day, all 24 shown.
pub fn axis(values: &[String], hours: bool) -> Vec<String> {
    let found = unique(values);
    if found.is_empty() {
        return found;
    }
    if found.iter().all(|v| WEEKDAYS.contains(&v.as_str())) {
        return WEEKDAYS.iter().map(|d| d.to_string()).collect();
    }
    let ints: Option<Vec<i64>> = found.iter().map(|v| v.parse::<i64>().ok()).collect();
    if let Some(ints) = ints {
        let (lo, hi) = (ints.iter().min().copied(), ints.iter().max().copied());
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if hours && lo >= 0 && hi < 24 {
                return (0..24).map(|i| i.to_string()).collect();
            }
            let mut sorted = ints.clone();
            sorted.sort_unstable();
            return sorted.iter().map(|i| i.to_string()).collect();
        }
    }
    let dates: Option<Vec<NaiveDate>> = found.iter().map(|v| v.parse().ok()).collect();
    if let Some(dates) = dates {
        let (Some(lo), Some(hi)) = (dates.iter().min(), dates.iter().max()) else {
            return found;
        };
        let days = (*hi - *lo).num_days();
        if days <= 3660 {
            return (0..=days)
                .map(|d| (*lo + Duration::days(d)).to_string())
                .collect();
        }
        let mut sorted = dates.clone();
        sorted.sort_unstable();
        return sorted.iter().map(|d| d.to_string()).collect();
    }
    found
}

/// A short label for an axis value ("2025-08-01" -> "1 Aug").
pub fn short(value: &str) -> String {
    match value.parse::<NaiveDate>() {
        Ok(d) => d.format("%-d %b").to_string(),
        Err(_) => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn axes_show_weekdays_hours_and_days_in_their_natural_order() {
        assert_eq!(axis(&s(&["Sunday", "Monday"]), false), WEEKDAYS);
        let hours = axis(&s(&["17", "3", "9"]), true);
        assert_eq!(hours.len(), 24);
        assert_eq!((hours[0].as_str(), hours[23].as_str()), ("0", "23"));
        assert_eq!(
            axis(&s(&["12"]), true).first().map(String::as_str),
            Some("0")
        );
        assert_eq!(axis(&s(&["30", "100", "7"]), true), s(&["7", "30", "100"]));
        assert_eq!(
            axis(&s(&["2025-08-03", "2025-08-01"]), false),
            s(&["2025-08-01", "2025-08-02", "2025-08-03"])
        );
        assert_eq!(axis(&s(&["3", "1"]), false), s(&["1", "3"]));
        assert_eq!(axis(&s(&["b", "a", "b"]), false), s(&["b", "a"]));
        assert_eq!(short("2025-08-01"), "1 Aug");
    }
}
