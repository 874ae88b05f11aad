//! One market end to end: ingest, export and report it, then look for raw
//! numbers in every name, file, cell and column, and compare every planted
//! value with its expected hash or time.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::ndjson;
use crate::common::pii::{cell_text, hmac_hex, read_key_file};
use crate::events::{market_events, slug, Cell, EVENTS};
use crate::expected::{check_cells, Failure, Failures};
use crate::leaks::{leak_in_bytes, leak_in_text, leaks};
use crate::markets::MARKETS;
use crate::run::{by_event, csv_rows, walk, write_report, Run};
use crate::REPORT;

/// Ingests, exports and reports one market and checks everything.
pub fn check_market(mi: usize) -> Vec<Failure> {
    let m = &MARKETS[mi];
    let mut f = Failures {
        market: m.name,
        list: Vec::new(),
    };
    let (lines, cells) = market_events(mi);
    let l = leaks(m);
    let r = Run::new();
    let archive = r.path(&format!("{}.ndjson", slug(m)));
    std::fs::write(&archive, ndjson(&lines)).unwrap();
    let ingest = Run::run(
        r.cmd()
            .arg("ingest")
            .arg("--db")
            .arg(&r.db)
            .arg("--json")
            .arg(&archive),
    );
    match ingest.map(|o| serde_json::from_slice::<Value>(&o).unwrap_or(Value::Null)) {
        Ok(s) if s["inserted"] == EVENTS && s["rejected"] == 0 => {}
        Ok(s) => f.add("ingest: not every event inserted", s.to_string()),
        Err(e) => {
            f.add("ingest failed", e);
            return f.list;
        }
    }

    // data in keys: a child table with a `key` column, in the database
    match r.query(
        "SELECT count(*) AS n, count(DISTINCT event_id) AS e, count(key) AS k \
         FROM uf_events__call_log",
    ) {
        Ok(rows) if rows[0]["n"] == EVENTS && rows[0]["e"] == EVENTS && rows[0]["k"] == EVENTS => {}
        Ok(rows) => f.add(
            "database: uf_events__call_log has not one key per event",
            format!("{rows:?}"),
        ),
        Err(e) => f.add(
            "database: no table uf_events__call_log with a key column",
            e.lines().take(3).collect::<Vec<_>>().join(" "),
        ),
    }
    if let Ok(rows) = r.query(
        "SELECT column_name AS c FROM duckdb_columns() WHERE table_name = 'uf_events' \
         AND column_name LIKE 'call_log%'",
    ) {
        if !rows.is_empty() {
            f.add(
                "database: call_log keys became uf_events columns",
                format!("{rows:?}"),
            );
        }
    }

    let out = r.path("parquet");
    let export = Run::run(
        r.cmd()
            .args(["export", "--json", "--db"])
            .arg(&r.db)
            .arg("--out")
            .arg(&out)
            .arg("--pii-key-file")
            .arg(&r.key)
            .args(["--pii-country-code", m.code]),
    );
    if let Err(e) = export {
        f.add("export failed", e);
    }
    let reports_in = r.path("reports-in");
    write_report(&reports_in);
    let reports = r.path("reports-out");
    let report = Run::run(
        r.cmd()
            .arg("report")
            .arg("--db")
            .arg(&r.db)
            .arg("--out")
            .arg(&reports)
            .arg("--reports")
            .arg(&reports_in)
            .arg("--pii-key-file")
            .arg(&r.key)
            .args(["--pii-country-code", m.code]),
    );
    if let Err(e) = report {
        f.add("report failed", e);
    }
    let key = match read_key_file(&r.key).map(|k| k.bytes) {
        Ok(k) => k,
        Err(e) => {
            f.add("no key file", e);
            return f.list;
        }
    };
    let hashes = [
        hmac_hex(&key, m.phones[0].e164),
        hmac_hex(&key, m.phones[1].e164),
    ];

    // every file and folder: its name, its bytes, its text
    for (root, place) in [(&out, "export"), (&reports, "report")] {
        for (path, is_file) in walk(root) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if let Some(leak) = leak_in_text(&name, &l) {
                f.add(
                    format!("{place}: raw number in a file or folder name"),
                    format!("{}: {leak}", path.display()),
                );
            }
            if !is_file {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default();
            let leak = match std::str::from_utf8(&bytes) {
                Ok(content) => leak_in_text(content, &l),
                Err(_) => leak_in_bytes(&bytes, &l),
            };
            if let Some(leak) = leak {
                f.add(
                    format!("{place}: raw number in a .{ext} file"),
                    format!("{}: {leak}", path.display()),
                );
            }
        }
    }
    for manifest in ["_hookstat_export.json", "_hookstat_pii.json"] {
        if !out.join(manifest).is_file() {
            f.add(format!("export: no {manifest}"), out.display().to_string());
        }
    }

    // the Parquet files, read back: every cell and column name
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, is_file) in walk(&out) {
        if is_file && path.extension().is_some_and(|e| e == "parquet") {
            let rel = path.strip_prefix(&out).unwrap();
            let table = rel.components().next().unwrap().as_os_str();
            groups
                .entry(table.to_string_lossy().into_owned())
                .or_default()
                .push(format!("'{}'", path.display()));
        }
    }
    let mut exported: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (table, files) in &groups {
        let sql = format!(
            "SELECT * FROM read_parquet([{}], union_by_name = true, hive_partitioning = true)",
            files.join(", ")
        );
        match r.query(&sql) {
            Ok(rows) => {
                for row in &rows {
                    for (column, v) in row.as_object().into_iter().flatten() {
                        if let Some(leak) = leak_in_text(column, &l) {
                            f.add(
                                format!("export: raw number in a column name of {table}"),
                                format!("{table}.{column}: {leak}"),
                            );
                        }
                        if let Some(leak) = leak_in_text(&cell_text(v), &l) {
                            f.add(
                                format!("export: raw number in {table}.{column}"),
                                format!("{table}.{column} = {v}: {leak}"),
                            );
                        }
                    }
                }
                exported.insert(table.clone(), rows);
            }
            Err(e) => f.add(format!("export: cannot read {table}"), e),
        }
    }

    // the planted values, exported and in the report's CSV
    let mut seen = BTreeMap::new();
    check_cells(
        &mut f,
        "export",
        &cells,
        &by_event(&exported),
        &hashes,
        &mut seen,
    );
    let latest = reports.join("latest");
    match csv_rows(&latest.join(format!("{REPORT}.csv"))) {
        Ok(rows) => {
            let tables = BTreeMap::from([("uf_events".to_string(), rows)]);
            let uf: Vec<Cell> = cells
                .iter()
                .filter(|c| c.table == "uf_events")
                .cloned()
                .collect();
            check_cells(
                &mut f,
                "report CSV",
                &uf,
                &by_event(&tables),
                &hashes,
                &mut seen,
            );
        }
        Err(e) => f.add("report: no CSV of the dropped-in report", e),
    }
    // one number, one hash, whatever its shape and place
    for (n, hash) in hashes.iter().enumerate() {
        for (free, want) in [(false, hash.clone()), (true, hash[..16].to_string())] {
            let got = seen.remove(&(n, free)).unwrap_or_default();
            if got.len() != 1 || !got.contains(&want) {
                let kind = if free { "[phone:…] tokens" } else { "values" };
                let mut shown: Vec<&String> = got.iter().take(6).collect();
                shown.sort();
                f.add(
                    format!("one number, one hash: {kind}"),
                    format!(
                        "{} gives {} different {kind} (want only {want}): {shown:?}",
                        m.phones[n].e164,
                        got.len()
                    ),
                );
            }
        }
    }
    // the chart's labels and the page carry the protected values
    let svg = std::fs::read_to_string(latest.join(format!("{REPORT}.svg"))).unwrap_or_default();
    let page = std::fs::read_to_string(latest.join("index.html")).unwrap_or_default();
    for (n, h) in hashes.iter().enumerate() {
        if !svg.contains(&h[..6]) {
            f.add(
                "report: the chart shows no hash of a number",
                format!("{}.svg lacks {}… ({})", REPORT, &h[..6], m.phones[n].e164),
            );
        }
        if !page.contains(h.as_str()) {
            f.add(
                "report: index.html shows no hash of a number",
                format!("index.html lacks {h} ({})", m.phones[n].e164),
            );
        }
    }
    f.list
}
