//! The morning digest as a mail: the subject, a plain-text part and an
//! HTML part (600 px wide, tables and inline styles only, no script,
//! nothing fetched) with the same facts: tonight's figures, the leading
//! configuration, what looks wrong, what changed, then the charts as
//! inline PNGs named by Content-ID.

use std::fmt::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::html::{self, escape};
use super::subject::{self, Lead};
use super::Facts;
use crate::mail::{InlineImage, Letter};
use crate::text::thousands;

/// A chart the report wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChartFile {
    /// The report's name (file stem).
    pub name: String,
    /// Its title.
    pub title: String,
    /// The PNG file.
    pub png: PathBuf,
}

/// Where the full report is.
pub struct Links<'a> {
    /// The dated report folder.
    pub folder: &'a str,
    /// The charts, in page order.
    pub charts: &'a [ChartFile],
}

fn figures(facts: &Facts) -> Vec<(&'static str, String)> {
    let t = &facts.tonight;
    vec![
        ("Events loaded", thousands(t.events)),
        ("Call Me Back requests", thousands(t.requests)),
        ("Records quarantined", thousands(t.rejected)),
        ("Field issues", thousands(t.field_issues)),
    ]
}

fn data_through(facts: &Facts) -> String {
    // in the report's zone, as the page says it
    match (facts.tonight.newest, facts.zone.parse::<chrono_tz::Tz>()) {
        (Some(t), Ok(tz)) => format!(
            "Data through {} ({})",
            t.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z"),
            facts.zone
        ),
        (Some(t), Err(_)) => format!("Data through {}", t.format("%Y-%m-%d %H:%M UTC")),
        (None, _) => "No events loaded yet".into(),
    }
}

/// The plain-text part.
pub fn text(facts: &Facts, leads: &[Lead], subject: &str, links: &Links<'_>) -> String {
    let mut s = format!("{subject}\n\n");
    if let Some(run) = facts.tonight.run_id {
        let _ = writeln!(s, "Tonight (ingest run #{run}):");
    }
    for (label, value) in figures(facts) {
        let _ = writeln!(s, "  {label:<24}{value:>12}");
    }
    let _ = writeln!(s, "{}.", data_through(facts));
    match leads {
        [] => {}
        [lead] => {
            let _ = writeln!(
                s,
                "\nLeading configuration: {} ({:.1}% interested).",
                lead.words(),
                lead.rate * 100.0
            );
        }
        _ => {
            s.push_str("\nLeading configurations, per business:\n");
            for lead in leads {
                let _ = writeln!(
                    s,
                    "  {} ({:.1}% interested).",
                    lead.words(),
                    lead.rate * 100.0
                );
            }
        }
    }
    s.push_str("\nWHAT LOOKS WRONG\n");
    if facts.alerts.is_empty() {
        s.push_str("  Nothing: every business account and event type is within its usual range.\n");
    }
    for a in &facts.alerts {
        let _ = writeln!(s, "  ! {}", a.message);
    }
    s.push_str("\nWHAT CHANGED TONIGHT\n");
    let lines = html::change_lines(&facts.changes);
    if facts.changes.first_night {
        s.push_str("  First night with events: everything is new.\n");
    } else if lines.is_empty() {
        s.push_str("  Nothing.\n");
    }
    for line in lines {
        let _ = writeln!(s, "  - {line}");
    }
    let _ = write!(
        s,
        "\nCharts: {} in the HTML part.\nFull report: {}/index.html\n",
        links.charts.len(),
        links.folder
    );
    s
}

/// The Content-ID of a chart.
pub fn cid(chart: &ChartFile) -> String {
    format!("chart-{}@hookstat", chart.name)
}

/// The HTML part; charts are `cid:` references to [`images`].
pub fn html(facts: &Facts, leads: &[Lead], subject: &str, links: &Links<'_>) -> String {
    let mut s = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>hookstat digest</title></head>\
<body style=\"margin:0;padding:0;background:#f4f5f7\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#f4f5f7\"><tr><td align=\"center\" style=\"padding:12px 6px\">\
<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" style=\"width:100%;max-width:600px;background:#ffffff;border:1px solid #dde;border-radius:6px\"><tr><td style=\"padding:16px 20px;font-family:'Noto Sans',Arial,Helvetica,sans-serif;color:#222\">",
    );
    let _ = write!(
        s,
        "<h1 style=\"font-size:20px;margin:0 0 6px\">{}</h1><p style=\"margin:0 0 12px;font-size:13px;color:#555\">{}.</p>",
        escape(subject),
        escape(&data_through(facts))
    );
    s.push_str("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" style=\"width:100%;border-collapse:collapse;font-size:14px\">");
    for (label, value) in figures(facts) {
        let _ = write!(
            s,
            "<tr><td style=\"padding:4px 0;border-bottom:1px solid #eee\">{}</td><td align=\"right\" style=\"padding:4px 0;border-bottom:1px solid #eee;font-weight:bold\">{}</td></tr>",
            escape(label),
            escape(&value)
        );
    }
    s.push_str("</table>");
    if !leads.is_empty() {
        let lines: Vec<String> = leads
            .iter()
            .map(|l| format!("{} ({:.1}% interested)", escape(&l.words()), l.rate * 100.0))
            .collect();
        let _ = write!(
            s,
            "<p style=\"margin:12px 0 0;padding:8px 12px;background:#eef6ee;border-left:4px solid #2e7d32;font-size:15px\">{}</p>",
            lines.join("<br>")
        );
    }
    html::alerts(&mut s, &facts.alerts);
    html::changes(&mut s, &facts.changes);
    for chart in links.charts {
        let _ = write!(
            s,
            "<h2 style=\"font-size:16px;margin:20px 0 6px\">{}</h2><img src=\"cid:{}\" alt=\"{}\" width=\"560\" style=\"display:block;width:100%;max-width:560px;height:auto;border:0\">",
            escape(&chart.title),
            escape(&cid(chart)),
            escape(&chart.title)
        );
    }
    let _ = write!(
        s,
        "<p style=\"margin:20px 0 0;font-size:12px;color:#777\">Full report with tables: {}/index.html on the machine that ran hookstat.</p>",
        escape(links.folder)
    );
    s.push_str("</td></tr></table></td></tr></table></body></html>\n");
    s
}

/// The whole letter; a chart whose PNG cannot be read is left out.
pub fn letter(facts: &Facts, leads: &[Lead], links: &Links<'_>, now: DateTime<Utc>) -> Letter {
    let subject = subject::subject(facts, leads.first(), now);
    let mut images = Vec::new();
    let mut charts = Vec::new();
    for chart in links.charts {
        if let Ok(png) = std::fs::read(&chart.png) {
            images.push(InlineImage {
                cid: cid(chart),
                png,
            });
            charts.push(chart.clone());
        }
    }
    let links = Links {
        folder: links.folder,
        charts: &charts,
    };
    Letter {
        text: text(facts, leads, &subject, &links),
        html: html(facts, leads, &subject, &links),
        subject,
        images,
    }
}
