//! The self-contained report page: headline figures and freshness, the
//! configuration decision, a table of contents, then each report's chart
//! (inline SVG) and table in units a person reads. Readable at phone width;
//! prints one chart per page.

mod cells;
mod decision;
mod top;
pub mod webfonts;

use std::fmt::Write;

pub use cells::readable;

use crate::report::decide::BusinessDecision;
use crate::report::definition::Report;
use crate::report::headline::Headline;
use crate::report::params::ReportParams;
use crate::report::table::Table;
use crate::report::zone::ReportZone;
use webfonts::PAGE_FONT_STACK;

/// Rows shown per table on the page (the CSV has all).
const MAX_ROWS: usize = 200;

/// One report on the page.
pub struct Section {
    /// The report.
    pub report: Report,
    /// Its rows.
    pub table: Table,
    /// Its chart.
    pub svg: Option<String>,
    /// Why it failed, if it did.
    pub error: Option<String>,
}

/// What the page is about.
pub struct PageInfo<'a> {
    /// Filters.
    pub params: &'a ReportParams,
    /// The zone of every local time and how it was chosen.
    pub zone: &'a ReportZone,
    /// When it was made.
    pub generated_at: String,
    /// Database file.
    pub database: String,
    /// Headline figures and freshness.
    pub headline: Option<&'a Headline>,
    /// Which configuration leads, per business.
    pub decisions: &'a [BusinessDecision],
    /// The reports.
    pub sections: &'a [Section],
    /// What looks wrong and what changed tonight.
    pub digest: Option<&'a crate::digest::Facts>,
}

const STYLE: &str = "\
*{box-sizing:border-box}body{margin:1.5em auto;max-width:1100px;padding:0 1em;color:#222;line-height:1.4}\
h1{margin-bottom:.2em}h2{border-bottom:1px solid #dde;padding-bottom:.2em;margin-top:1.8em}\
.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;font-size:13px;margin:1em 0}\
td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;white-space:nowrap}th{background:#f0f3f7;white-space:normal;vertical-align:bottom}td.t,th.t{text-align:left}\
td:first-child,th:first-child{text-align:left}caption{text-align:left;font-weight:600;padding:.3em 0}\
.err{color:#b00020}.meta{color:#555;font-size:14px}section{margin-bottom:2.5em}\
svg{max-width:100%;height:auto;display:block}figure{margin:1em 0;overflow-x:auto}\
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:.7em;margin:1em 0}\
.card{border:1px solid #dde;border-radius:8px;padding:.7em .9em;background:#fafbfd}\
.card .label{font-size:13px;color:#555}.card .value{font-size:26px;font-weight:650}.card .change{font-size:12px;color:#555}\
.warn{background:#fff4e5;border-left:4px solid #e67e00;padding:.6em .9em}\
.verdict{font-size:18px;background:#eef6ee;border-left:4px solid #2e7d32;padding:.6em .9em}\
nav.toc ol{columns:2;font-size:14px}\
@media (max-width:640px){body{margin:.5em auto;padding:0 .6em}.opt{display:none}nav.toc ol{columns:1}.card .value{font-size:22px}h1{font-size:24px}}\
@media print{nav.toc{display:none}section{break-before:page}section:first-of-type{break-before:auto}\
table,figure,svg,.cards{break-inside:avoid}.scroll{overflow:visible}a{color:inherit;text-decoration:none}}";

pub use crate::text::html_escape as escape;

fn filters(p: &ReportParams) -> String {
    let configs = if p.configs.is_empty() {
        "all".to_string()
    } else {
        p.configs
            .iter()
            .map(|c| escape(c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "Period: {} to {}; configurations: {}.",
        p.from.map_or("the start".into(), |d| d.to_string()),
        p.to.map_or("the end".into(), |d| d.to_string()),
        configs
    )
}

/// The whole page.
pub fn page(info: &PageInfo<'_>) -> String {
    let zone = info.zone;
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>hookstat report</title><style>body{{font-family:{PAGE_FONT_STACK}}}{STYLE}</style></head><body><header><h1>Call Me Back and feedback report</h1>"
    );
    let _ = write!(
        s,
        "<p class=\"meta\">Generated {} from {}. Times are in <strong>{}</strong> ({}). {}</p></header><main>",
        escape(&info.generated_at),
        escape(&info.database),
        escape(zone.tz.name()),
        escape(&zone.how),
        filters(info.params)
    );
    if let Some(h) = info.headline {
        top::headline(&mut s, h, zone.tz);
    }
    if let Some(facts) = info.digest {
        s.push_str("<section id=\"digest\">");
        crate::digest::html::alerts(&mut s, &facts.alerts);
        crate::digest::html::changes(&mut s, &facts.changes);
        s.push_str("</section>");
    }
    toc(&mut s, info);
    if !info.decisions.is_empty() {
        s.push_str("<section id=\"decision\"><h2>Which configuration leads?</h2>");
        decision::decisions(&mut s, info.decisions);
        s.push_str("</section>");
    }
    for section in info.sections {
        report_section(&mut s, section, zone.tz.name());
    }
    s.push_str("</main></body></html>\n");
    // the fonts the page's own characters need, inside the page
    let faces = webfonts::faces(&s);
    s.replacen("</head>", &format!("{faces}</head>"), 1)
}

fn toc(s: &mut String, info: &PageInfo<'_>) {
    s.push_str("<nav class=\"toc\" aria-label=\"Contents\"><strong>Contents</strong><ol>");
    if !info.decisions.is_empty() {
        s.push_str("<li><a href=\"#decision\">Which configuration leads?</a></li>");
    }
    for section in info.sections {
        let r = &section.report;
        let _ = write!(
            s,
            "<li><a href=\"#{}\">{}</a></li>",
            escape(&r.name),
            escape(r.title())
        );
    }
    s.push_str("</ol></nav>");
}

fn report_section(s: &mut String, section: &Section, zone: &str) {
    let r = &section.report;
    let _ = write!(
        s,
        "<section id=\"{}\"><h2>{}</h2>",
        escape(&r.name),
        escape(r.title())
    );
    if let Some(d) = r.get("description") {
        let _ = write!(s, "<p>{}</p>", escape(d));
    }
    if let Some(e) = &section.error {
        let _ = write!(
            s,
            "<p class=\"err\">This report failed: {}</p></section>",
            escape(e)
        );
        return;
    }
    if let Some(svg) = &section.svg {
        s.push_str("<figure>");
        s.push_str(svg);
        s.push_str("</figure>");
    }
    table_html(s, Some(r), &section.table, zone);
    let _ = write!(
        s,
        "<p class=\"meta\">Data (raw values): {}.csv</p></section>",
        escape(&r.name)
    );
}

fn table_html(s: &mut String, report: Option<&Report>, table: &Table, zone: &str) {
    if table.rows.is_empty() {
        s.push_str("<p class=\"meta\">No rows.</p>");
        return;
    }
    s.push_str("<div class=\"scroll\"><table><tr>");
    let shows: Vec<cells::Show> = table
        .columns
        .iter()
        .map(|c| cells::show(report, c))
        .collect();
    for (i, c) in table.columns.iter().enumerate() {
        // long names may break after their underscores; a text column's
        // title sits over its text, on the left
        let title = escape(&cells::title(report, c, zone)).replace('_', "_<wbr>");
        let first = table.rows[0].get(i).map_or("", String::as_str);
        let _ = write!(s, "<th{}>{title}</th>", cells::align(first));
    }
    s.push_str("</tr>");
    for row in table.rows.iter().take(MAX_ROWS) {
        s.push_str("<tr>");
        for (cell, show) in row.iter().zip(&shows) {
            let _ = write!(
                s,
                "<td{}>{}</td>",
                cells::align(cell),
                escape(&cells::cell(*show, cell))
            );
        }
        s.push_str("</tr>");
    }
    s.push_str("</table></div>");
    if table.rows.len() > MAX_ROWS {
        let _ = write!(
            s,
            "<p class=\"meta\">First {MAX_ROWS} of {} rows.</p>",
            table.rows.len()
        );
    }
}
