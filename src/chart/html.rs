//! The self-contained report page: charts inlined as SVG, result tables,
//! the filters used, data-quality numbers and the generation time.

use std::fmt::Write;

use crate::report::definition::Report;
use crate::report::params::ReportParams;
use crate::report::table::Table;

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
    /// When it was made.
    pub generated_at: String,
    /// Database file.
    pub database: String,
    /// The reports.
    pub sections: &'a [Section],
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}\
table{border-collapse:collapse;font-size:13px;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}\
th{background:#f0f3f7}td:first-child,th:first-child{text-align:left}.err{color:#b00020}\
section{margin-bottom:3em}svg{max-width:100%;height:auto}.meta{color:#555}";

/// The whole page.
pub fn page(info: &PageInfo<'_>) -> String {
    let p = info.params;
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>hookstat report</title><style>{STYLE}</style></head><body>"
    );
    let _ = write!(
        s,
        "<h1>hookstat report</h1><p class=\"meta\">Generated {} from {}.<br>",
        escape(&info.generated_at),
        escape(&info.database)
    );
    let configs = if p.configs.is_empty() {
        "all".to_string()
    } else {
        p.configs
            .iter()
            .map(|c| escape(c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = write!(
        s,
        "Filters: time zone {}, from {}, to {}, configurations: {}.</p>",
        escape(p.tz.name()),
        p.from.map_or("the start".into(), |d| d.to_string()),
        p.to.map_or("the end".into(), |d| d.to_string()),
        configs
    );
    for section in info.sections {
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
            continue;
        }
        if let Some(svg) = &section.svg {
            s.push_str(svg);
        }
        table_html(&mut s, &section.table);
        let _ = write!(
            s,
            "<p class=\"meta\">Data: {}.csv</p></section>",
            escape(&r.name)
        );
    }
    s.push_str("</body></html>\n");
    s
}

/// Decimals shortened for reading (the CSV keeps full precision), and
/// anything that looks like a phone number masked to its last 4 digits:
/// the page is mailed around and never shows raw numbers.
fn readable(cell: &str) -> String {
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

fn table_html(s: &mut String, table: &Table) {
    s.push_str("<table><tr>");
    for c in &table.columns {
        let _ = write!(s, "<th>{}</th>", escape(c));
    }
    s.push_str("</tr>");
    for row in table.rows.iter().take(MAX_ROWS) {
        s.push_str("<tr>");
        for cell in row {
            let _ = write!(s, "<td>{}</td>", escape(&readable(cell)));
        }
        s.push_str("</tr>");
    }
    s.push_str("</table>");
    if table.rows.len() > MAX_ROWS {
        let _ = write!(
            s,
            "<p class=\"meta\">First {MAX_ROWS} of {} rows.</p>",
            table.rows.len()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_numbers_and_escaping() {
        assert_eq!(readable("0.6775510204081633"), "0.6776");
        assert_eq!(readable("4.117140322001944e-7"), "4.12e-7");
        assert_eq!(readable("1073"), "1073");
        assert_eq!(readable("2.0"), "2");
        assert_eq!(readable("CMB Default"), "CMB Default");
        assert_eq!(readable("919876543210"), "********3210");
        assert_eq!(readable("+919876543210"), "********3210");
        assert_eq!(
            escape("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}
