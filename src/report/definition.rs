//! Report definitions: a `.sql` file whose leading `-- key: value` comment
//! lines describe the report (title, description, chart kind and which
//! columns go on which axis), followed by the query.

use std::collections::BTreeMap;
use std::path::Path;

/// The reports shipped with hookstat (`reports/`), embedded in the binary.
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "interest_rate",
        include_str!("../../reports/interest_rate.sql"),
    ),
    (
        "config_comparison",
        include_str!("../../reports/config_comparison.sql"),
    ),
    (
        "popular_slots",
        include_str!("../../reports/popular_slots.sql"),
    ),
    (
        "response_times",
        include_str!("../../reports/response_times.sql"),
    ),
    ("daily_trend", include_str!("../../reports/daily_trend.sql")),
    (
        "data_quality",
        include_str!("../../reports/data_quality.sql"),
    ),
    (
        "late_arrivals",
        include_str!("../../reports/late_arrivals.sql"),
    ),
];

/// One report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// File stem: names the output files.
    pub name: String,
    /// Where it came from (a path, or "built-in").
    pub origin: String,
    /// Header keys (`title`, `description`, `chart`, `x`, `y`, …).
    pub header: BTreeMap<String, String>,
    /// The query.
    pub sql: String,
}

impl Report {
    /// A header value.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.header.get(key).map(String::as_str)
    }

    /// The title (the name when the header has none).
    pub fn title(&self) -> &str {
        self.get("title").unwrap_or(&self.name)
    }
}

/// Parses a report file's text. Fails (with a message) when it has no query.
pub fn parse(name: &str, origin: &str, text: &str) -> Result<Report, String> {
    let mut header = BTreeMap::new();
    let mut body = Vec::new();
    let mut in_header = true;
    for line in text.lines() {
        let trimmed = line.trim();
        if in_header {
            if let Some(comment) = trimmed.strip_prefix("--") {
                if let Some((k, v)) = comment.split_once(':') {
                    let key = k.trim().to_ascii_lowercase();
                    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        header.insert(key, v.trim().to_string());
                        continue;
                    }
                }
                continue;
            }
            if trimmed.is_empty() {
                continue;
            }
            in_header = false;
        }
        body.push(line);
    }
    let sql = body
        .join("\n")
        .trim()
        .trim_end_matches(';')
        .trim()
        .to_string();
    if sql.is_empty() {
        return Err(format!("{origin}: no query after the header"));
    }
    Ok(Report {
        name: name.to_string(),
        origin: origin.to_string(),
        header,
        sql,
    })
}

/// The built-in reports, then every `*.sql` file of `dir` (sorted; a file
/// replaces the built-in report of the same name). Files that cannot be
/// read or parsed come back as errors naming the file.
pub fn load(dir: Option<&Path>) -> (Vec<Report>, Vec<String>) {
    let mut reports: Vec<Report> = BUILT_IN
        .iter()
        .filter_map(|(name, text)| parse(name, "built-in", text).ok())
        .collect();
    let mut errors = Vec::new();
    let Some(dir) = dir else {
        return (reports, errors);
    };
    let mut files: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect(),
        Err(e) => {
            errors.push(format!("{}: {e}", dir.display()));
            return (reports, errors);
        }
    };
    files.sort();
    for path in files {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let origin = path.display().to_string();
        let parsed = std::fs::read_to_string(&path)
            .map_err(|e| format!("{origin}: {e}"))
            .and_then(|text| parse(&name, &origin, &text));
        match parsed {
            Ok(report) => match reports.iter_mut().find(|r| r.name == report.name) {
                Some(existing) => *existing = report,
                None => reports.push(report),
            },
            Err(e) => errors.push(e),
        }
    }
    (reports, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_query() {
        let r = parse(
            "x",
            "x.sql",
            "-- title: Hello: world\n-- chart: bars\n-- a plain comment\n\nSELECT 1 AS a;\n",
        )
        .unwrap();
        assert_eq!(r.title(), "Hello: world");
        assert_eq!(r.get("chart"), Some("bars"));
        assert_eq!(r.sql, "SELECT 1 AS a");
        assert!(parse("y", "y.sql", "-- title: only a header\n").is_err());
    }

    #[test]
    fn built_ins_parse() {
        let (reports, errors) = load(None);
        assert!(errors.is_empty());
        let names: Vec<_> = reports.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "interest_rate",
                "config_comparison",
                "popular_slots",
                "response_times",
                "daily_trend",
                "data_quality",
                "late_arrivals"
            ]
        );
        assert!(reports
            .iter()
            .all(|r| r.get("title").is_some() && r.get("chart").is_some()));
    }
}
