//! The top of the page: headline figures with their change since the
//! previous run, freshness, and the configuration decision in words.

use std::fmt::Write;

use chrono_tz::Tz;

use super::cells::{cell, show, Show};
use crate::chart::markup::escape;
use crate::chart::units::{self, Unit};
use crate::report::decision::{Arm, Decision};
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
            escape(warning)
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
    if let Some((run, finished)) = &h.last_run {
        let _ = write!(
            s,
            " Changes are those of ingest run #{run} (finished {} UTC), the latest that loaded events; {} in all. Headline figures cover the whole database; the filters apply to the sections below.",
            escape(finished),
            if h.runs == 1 { "1 run".to_string() } else { format!("{} runs", h.runs) }
        );
    }
    s.push_str("</p>");
}

/// A probability as a person reads it, never 0% or 100% from sampling.
fn probability(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(p) if p > 0.999 => "> 99.9%".into(),
        Ok(p) if p < 0.001 => "< 0.1%".into(),
        Ok(p) => units::format(Unit::Percent, p),
        Err(_) => "–".into(),
    }
}

/// The decision section: verdict, per-configuration table, pairs, and the
/// configurations with too few answers to compare.
pub fn decision(s: &mut String, d: &Decision, few: &[Arm]) {
    let _ = write!(s, "<p class=\"verdict\">{}</p>", escape(&d.verdict));
    if !few.is_empty() {
        let list: Vec<String> = few
            .iter()
            .map(|a| format!("{} ({} answered)", escape(&a.name), a.answered))
            .collect();
        let _ = write!(
            s,
            "<p class=\"meta\">Too few answers to compare yet (fewer than 30), left out: {}.</p>",
            list.join(", ")
        );
    }
    let (arms, pairs) = d.tables();
    s.push_str("<div class=\"scroll\"><table><caption>Interest rate per configuration, 95% interval and probability of being the best</caption><tr>");
    // the counts give way to the rate and P(best) at phone width
    for (t, class) in [
        ("configuration", ""),
        ("answered", " class=\"opt\""),
        ("interested", " class=\"opt\""),
        ("interest rate (95% interval)", ""),
        ("P(best)", ""),
    ] {
        let _ = write!(s, "<th{class}>{t}</th>");
    }
    s.push_str("</tr>");
    for row in &arms.rows {
        let pct = |i: usize| cell(Show::Unit(Unit::Percent), &row[i]);
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"opt\">{}</td><td class=\"opt\">{}</td><td>{} ({} – {})</td><td>{}</td></tr>",
            escape(&row[0]),
            cell(Show::Unit(Unit::Count), &row[1]),
            cell(Show::Unit(Unit::Count), &row[2]),
            pct(3),
            pct(4),
            pct(5),
            probability(&row[6])
        );
    }
    s.push_str("</table></div>");
    if !pairs.rows.is_empty() {
        s.push_str("<div class=\"scroll\"><table><caption>Every pair: difference and p-value, Holm-adjusted for the number of comparisons</caption><tr>");
        for t in [
            "configuration",
            "compared with",
            "difference",
            "p-value",
            "p-value, Holm-adjusted",
        ] {
            let _ = write!(s, "<th>{t}</th>");
        }
        s.push_str("</tr>");
        for row in &pairs.rows {
            s.push_str("<tr>");
            for (c, v) in pairs.columns.iter().zip(row) {
                let _ = write!(
                    s,
                    "<td{}>{}</td>",
                    super::cells::align(v),
                    escape(&cell(show(None, c), v))
                );
            }
            s.push_str("</tr>");
        }
        s.push_str("</table></div>");
    }
    let _ = write!(
        s,
        "<p class=\"meta\">{} Data: config_decision.csv, config_pairs.csv.</p>",
        escape(&d.method)
    );
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
            stale: Some("old <data>".into()),
        };
        let mut s = String::new();
        headline(&mut s, &h, chrono_tz::UTC);
        assert!(s.contains("1,000") && s.contains("first run"), "{s}");
        assert!(s.contains("old &lt;data&gt;"), "{s}");
    }
}
