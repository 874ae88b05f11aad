//! The decision section of the page: per business, the verdict in words,
//! what was compared over which days, a chart of each configuration's
//! difference to the leader with its always-valid interval, and a table.

use std::fmt::Write;

use super::escape;
use crate::chart::fonts::{self, FONT_STACK};
use crate::chart::units::{self, Unit};
use crate::report::decide::BusinessDecision;
use crate::report::decision::{combined, Decision, MIN_ANSWERED};

/// Every business's decision.
pub fn decisions(s: &mut String, all: &[BusinessDecision]) {
    for b in all {
        if all.len() > 1 {
            let _ = write!(s, "<h3>Business {}</h3>", escape(&b.comparison.business));
        }
        one(s, b);
    }
    across(s, all);
}

/// Pairs compared in several businesses, each business weighed by its
/// precision, never pooled.
fn across(s: &mut String, all: &[BusinessDecision]) {
    let Some(first) = all.first() else { return };
    let decisions: Vec<&Decision> = all.iter().map(|b| &b.decision).collect();
    let pairs = combined::combine(&decisions, first.decision.nstar);
    if pairs.is_empty() {
        return;
    }
    s.push_str("<h3>Across businesses</h3><div class=\"scroll\"><table><caption>Configurations compared in several businesses: each business's difference weighed by its precision (never pooled), with the always-valid 95% interval; a description, not a decision</caption><tr><th>configuration</th><th>compared with</th><th>businesses</th><th>difference (always-valid interval)</th></tr>");
    let pts = |v: f64| units::format(Unit::Points, v);
    for c in &pairs {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"t\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&c.a),
            escape(&c.b),
            c.businesses,
            escape(&format!(
                "{} ({} to {})",
                pts(c.diff),
                pts(c.low),
                pts(c.high)
            ))
        );
    }
    s.push_str("</table></div>");
}

fn one(s: &mut String, b: &BusinessDecision) {
    let (c, d) = (&b.comparison, &b.decision);
    let _ = write!(s, "<p class=\"verdict\">{}</p>", escape(&d.verdict));
    s.push_str("<p class=\"meta\">");
    if let Some((first, last)) = c.overlap {
        let _ = write!(
            s,
            "Compared over the {} day{} on which all of them had requests ({first} to {last}). ",
            c.overlap_days,
            if c.overlap_days == 1 { "" } else { "s" }
        );
    }
    if !c.apart.is_empty() {
        let list: Vec<String> = c
            .apart
            .iter()
            .map(|a| format!("{} ({} to {})", escape(&a.name), a.first, a.last))
            .collect();
        let _ = write!(
            s,
            "Not comparable, never running on enough of the same days: {}. ",
            list.join(", ")
        );
    }
    if !c.few.is_empty() {
        let list: Vec<String> = c
            .few
            .iter()
            .map(|a| format!("{} ({} answered)", escape(&a.name), a.answered))
            .collect();
        let _ = write!(
            s,
            "Too few answers to compare yet (fewer than {MIN_ANSWERED}), left out: {}.",
            list.join(", ")
        );
    }
    s.push_str("</p>");
    intervals(s, d);
    table(s, d);
    let _ = write!(
        s,
        "<p class=\"meta\">{} Data: config_decision.csv, config_pairs.csv.</p>",
        escape(&d.method)
    );
}

/// Each configuration's difference to the leader (points) with its
/// always-valid interval, as an inline SVG.
fn intervals(s: &mut String, d: &Decision) {
    let rows: Vec<(&str, f64, f64, f64)> = d
        .pairs
        .iter()
        .filter(|p| p.a == 0)
        .filter_map(|p| {
            let q = p.sequential?;
            Some((d.arms[p.b].name.as_str(), -p.diff, -q.high, -q.low))
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    let lo = rows.iter().map(|r| r.2).fold(0.0f64, f64::min);
    let hi = rows.iter().map(|r| r.3).fold(0.0f64, f64::max);
    let span = (hi - lo).max(1e-9);
    // narrow enough that its text stays readable at phone width (about
    // 11 px at 390 px), labels as wide as the longest name needs
    let (total, font, row_h) = (460.0, 13.0, 28.0);
    let names: Vec<String> = rows.iter().map(|r| fonts::fit(r.0, font, 170.0)).collect();
    let label_w = names
        .iter()
        .map(|n| fonts::width(n, font))
        .fold(40.0, f64::max);
    let left = label_w + 14.0;
    let width = total - left - 70.0;
    let x = |v: f64| left + (v - lo) / span * width;
    let height = 40.0 + row_h * rows.len() as f64;
    let _ = write!(
        s,
        "<figure class=\"chart\"><svg viewBox=\"0 0 {total} {height}\" width=\"100%\" style=\"max-width:540px\" role=\"img\" aria-label=\"Difference to {} with always-valid 95% intervals\" font-family=\"{FONT_STACK}\" font-size=\"{font}\">",
        escape(&d.arms[0].name)
    );
    let zero = x(0.0);
    let leader = fonts::fit(&format!("= {}", d.arms[0].name), font, total - 10.0);
    let half = fonts::width(&leader, font) / 2.0;
    let under = zero.clamp(half + 2.0, (total - half - 2.0).max(half + 2.0));
    let _ = write!(
        s,
        "<line x1=\"{zero:.1}\" y1=\"8\" x2=\"{zero:.1}\" y2=\"{:.1}\" stroke=\"#555\" stroke-dasharray=\"3 3\"/><text x=\"{under:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
        height - 22.0,
        height - 6.0,
        escape(&leader)
    );
    for (i, ((_, diff, low, high), name)) in rows.iter().zip(&names).enumerate() {
        let y = 20.0 + row_h * i as f64;
        let clear = *high < 0.0;
        let colour = if clear { "#b00020" } else { "#1f5fa8" };
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"3\"/><circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"#333\">{}</text>",
            left - 8.0,
            y + 4.0,
            escape(name),
            x(*low),
            x(*high),
            x(*diff),
            x(*high) + 6.0,
            y + 4.0,
            escape(&units::format(Unit::Points, *diff))
        );
    }
    s.push_str("</svg><figcaption class=\"meta\">Each configuration's interest rate minus the leader's, with the always-valid 95% interval (red: clearly behind).</figcaption></figure>");
}

fn table(s: &mut String, d: &Decision) {
    s.push_str("<div class=\"scroll\"><table><caption>Per configuration over the shared days</caption><tr>");
    for (t, class) in [
        ("configuration", ""),
        ("answered", " class=\"opt\""),
        ("interest rate (95% interval)", ""),
        ("difference to the leader (always-valid interval)", ""),
        ("P(best)", " class=\"opt\""),
        ("expected loss", " class=\"opt\""),
    ] {
        let _ = write!(s, "<th{class}>{t}</th>");
    }
    s.push_str("</tr>");
    let pct = |v: Option<f64>| v.map_or("–".into(), |v| units::format(Unit::Percent, v));
    let pts = |v: f64| units::format(Unit::Points, v);
    for (i, a) in d.arms.iter().enumerate() {
        let diff = match d.pairs.iter().find(|p| p.a == 0 && p.b == i) {
            Some(p) => match p.sequential {
                Some(q) => format!("{} ({} to {})", pts(-p.diff), pts(-q.high), pts(-q.low)),
                None => pts(-p.diff),
            },
            None if i == 0 && a.rate.is_some() => "leader".into(),
            None => "–".into(),
        };
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"opt\">{}</td><td>{} ({} – {})</td><td>{}</td><td class=\"opt\">{}</td><td class=\"opt\">{}</td></tr>",
            escape(&a.name),
            units::format(Unit::Count, a.answered as f64),
            pct(a.rate),
            pct(a.ci_low),
            pct(a.ci_high),
            escape(&diff),
            probability(a.p_best),
            a.expected_loss
                .map_or("–".into(), |v| pts(v).trim_start_matches('+').to_string()),
        );
    }
    s.push_str("</table></div>");
}

/// A probability as a person reads it, never 0% or 100% from sampling.
fn probability(p: Option<f64>) -> String {
    match p {
        Some(p) if p > 0.999 => "> 99.9%".into(),
        Some(p) if p < 0.001 => "< 0.1%".into(),
        Some(p) => units::format(Unit::Percent, p),
        None => "–".into(),
    }
}
