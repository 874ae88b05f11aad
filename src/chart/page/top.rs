//! The top of the page: headline figures with their change since the
//! previous run, freshness, and the configuration decision in words.

use std::fmt::Write;

use chrono_tz::Tz;

use super::escape;
use crate::chart::units::{self, Unit};
use crate::report::headline::{Headline, Value};

fn value_text(v: Value) -> String {
    match v {
        Value::Count(n) => units::format(Unit::Count, n as f64),
        Value::Rate(Some(r)) => units::format(Unit::Percent, r),
        Value::Rate(None) => "–".into(),
    }
}

fn change_text(now: Value, before: Value) -> String {
    match (now, before) {
        (Value::Count(a), Value::Count(b)) => {
            let d = a as f64 - b as f64;
            let sign = if d > 0.0 { "+" } else { "" };
            format!(
                "{sign}{} since the previous run",
                units::format(Unit::Count, d)
            )
        }
        (Value::Rate(Some(a)), Value::Rate(Some(b))) => {
            format!(
                "{} since the previous run",
                units::format(Unit::Points, a - b)
            )
        }
        _ => "no comparison".into(),
    }
}

/// The headline cards, freshness line and stale warning.
pub fn headline(s: &mut String, h: &Headline, tz: Tz) {
    if let Some(warning) = &h.stale {
        let _ = write!(
            s,
            "<p class=\"warn\" role=\"alert\">{}</p>",
            escape(&warning.message)
        );
    }
    s.push_str("<div class=\"cards\">");
    for f in &h.figures {
        let change = match f.before {
            Some(before) => change_text(f.now, before),
            None => "first run".into(),
        };
        let _ = write!(
            s,
            "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"change\">{}</div></div>",
            escape(f.label),
            value_text(f.now),
            escape(&change)
        );
    }
    s.push_str("</div><p class=\"meta\">");
    match h.data_through {
        Some(t) => {
            let _ = write!(
                s,
                "Data through <strong>{}</strong> (newest event created).",
                escape(&t.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string())
            );
        }
        None => s.push_str("No events loaded yet."),
    }
    if h.data_through.is_none() {
        // no run has loaded events: there is no "latest that loaded" one
        let _ = write!(
            s,
            " {} so far.",
            if h.runs == 1 {
                "1 ingest run".to_string()
            } else {
                format!("{} ingest runs", h.runs)
            }
        );
    } else if let Some((run, finished)) = &h.last_run {
        let _ = write!(
            s,
            " Changes are those of ingest run #{run} (finished {} UTC), the latest that loaded events; {} in all. Headline figures cover the whole database; the filters apply to the sections below.",
            escape(finished),
            if h.runs == 1 { "1 run".to_string() } else { format!("{} runs", h.runs) }
        );
    }
    s.push_str("</p>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::headline::Figure;

    #[test]
    fn changes_read_as_a_person_says_them() {
        assert_eq!(
            change_text(Value::Count(12_345), Value::Count(10_000)),
            "+2,345 since the previous run"
        );
        assert_eq!(
            change_text(Value::Rate(Some(0.50)), Value::Rate(Some(0.52))),
            "−2.0 pp since the previous run"
        );
        let h = Headline {
            runs: 1,
            last_run: None,
            figures: vec![Figure {
                label: "Events",
                now: Value::Count(1000),
                before: None,
            }],
            data_through: None,
            stale: Some(crate::report::headline::Stale {
                message: "old <data>".into(),
                age: None,
                limit: std::time::Duration::from_secs(3600),
            }),
        };
        let mut s = String::new();
        headline(&mut s, &h, chrono_tz::UTC);
        assert!(s.contains("1,000") && s.contains("first run"), "{s}");
        assert!(s.contains("old &lt;data&gt;"), "{s}");
    }
}
