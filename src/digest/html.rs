//! The digest's sections as HTML with inline styles only (mail clients
//! drop `<style>` blocks), shared by the report page and the mail: "What
//! looks wrong" and "What changed tonight", each a short list, with a
//! sentence when empty.

use std::fmt::Write;

use super::alerts::Alert;
use super::changes::Changes;
use crate::text::thousands;

pub use crate::text::html_escape as escape;

const H2: &str = "font-size:18px;margin:20px 0 8px;border-bottom:1px solid #dde;padding-bottom:3px";
const UL: &str =
    "margin:0;padding-left:20px;font-size:14px;line-height:1.45;overflow-wrap:anywhere";
const NONE: &str = "margin:0;font-size:14px;color:#555";
const ALERT: &str = "background:#fdecea;border-left:4px solid #b00020;padding:8px 12px;margin:0 0 6px;font-size:14px";
const CODE: &str = "font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px";

fn code(text: &str) -> String {
    format!("<code style=\"{CODE}\">{}</code>", escape(text))
}

/// "What looks wrong": one red box per flag.
pub fn alerts(s: &mut String, alerts: &[Alert]) {
    let _ = write!(s, "<h2 id=\"alerts\" style=\"{H2}\">What looks wrong</h2>");
    if alerts.is_empty() {
        let _ = write!(
            s,
            "<p style=\"{NONE}\">Nothing: every business account and event type is within its usual range.</p>"
        );
        return;
    }
    for a in alerts {
        let _ = write!(
            s,
            "<p style=\"{ALERT}\" role=\"alert\"><strong>{}</strong> {}</p>",
            escape(&a.kind.replace('_', " ")),
            escape(&a.message)
        );
    }
}

/// The changes as lines of text (shared with the plain-text part).
pub fn change_lines(c: &Changes) -> Vec<String> {
    let mut lines = Vec::new();
    for t in &c.new_event_types {
        lines.push(format!(
            "New event type {}: {} events",
            t.event_type,
            thousands(t.events)
        ));
    }
    for n in &c.new_columns {
        lines.push(format!(
            "New column {}.{} ({}, from {}), first value {}",
            n.table,
            n.column,
            n.data_type,
            n.json_path,
            n.first_value.as_deref().unwrap_or("(none yet)")
        ));
    }
    for w in &c.widened_types {
        lines.push(format!(
            "Type widened: {}.{} ({}) {} -> {}, {} earlier rows converted",
            w.table,
            w.column,
            w.json_path,
            w.from,
            w.to,
            thousands(w.rows_converted)
        ));
    }
    for s in &c.stopped_columns {
        lines.push(format!(
            "Stopped appearing: {}.{}, empty in all {} rows tonight (held a value in {} of {} rows of run #{})",
            s.table,
            s.column,
            thousands(s.rows_tonight),
            thousands(s.values_before),
            thousands(s.rows_before),
            s.previous_run
        ));
    }
    for r in &c.new_reject_reasons {
        lines.push(format!(
            "New reject reason {}: {} records quarantined",
            r.reason,
            thousands(r.records)
        ));
    }
    for o in &c.budget_overflows {
        lines.push(format!(
            "Budget overflow {} ({} events, {}): {} events",
            o.budget,
            o.event_type,
            o.field,
            thousands(o.events)
        ));
    }
    lines
}

/// "What changed tonight".
pub fn changes(s: &mut String, c: &Changes) {
    let _ = write!(
        s,
        "<h2 id=\"changes\" style=\"{H2}\">What changed tonight</h2>"
    );
    if c.first_night {
        let _ = write!(
            s,
            "<p style=\"{NONE}\">First night with events: everything is new.</p>"
        );
        return;
    }
    let lines = change_lines(c);
    if lines.is_empty() {
        let _ = write!(
            s,
            "<p style=\"{NONE}\">Nothing: same event types, columns, types and reject reasons as before; no budget overflows.</p>"
        );
        return;
    }
    let _ = write!(s, "<ul style=\"{UL}\">");
    for line in lines {
        // names in code type: they are what analysts type in SQL
        let _ = write!(s, "<li>{}</li>", emphasise_names(&line));
    }
    s.push_str("</ul>");
}

/// The line escaped, with `table.column` words set as code.
fn emphasise_names(line: &str) -> String {
    line.split(' ')
        .map(|w| {
            let bare = w.trim_end_matches([',', ':']);
            if bare.contains('.') && !bare.ends_with('.') && !bare.starts_with('$') {
                format!("{}{}", code(bare), escape(&w[bare.len()..]))
            } else {
                escape(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
