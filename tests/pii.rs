//! Phone numbers never leave raw, whatever shape the payload gives them:
//! the Parquet export and every report output (CSV, SVG, HTML) under
//! `--pii hash|mask|drop|keep`, with the keyed hash (HMAC-SHA256 under the
//! key in `--pii-key-file`) over the number's normal form.
//!
//! The archive plants 20 Indian mobile numbers (plus the Call Me Back
//! client number of `common::cmb_event`) in seven formats each: JSON number,
//! `+91 …`, `0091-…`, national with and without a space, trunk `0`, and
//! parentheses; under phone-ish names, nested paths, neutral names (found by
//! content), arrays of scalars and of objects, and inside free text. Every
//! expected value is computed here from the planted numbers and the key
//! read from the key file, never taken from a run of the code.
//!
//! Key file format assumed by these tests: text lines `key=<64 hex>` (the
//! 32 key bytes) and `id=<hex>` (the key id); other lines (comments) are
//! ignored. A different format makes the tests say so.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::pii::*;
use common::*;
use serde_json::{json, Value};

/// 2025-07-31 07:09:20 UTC, the `created_at` of `common::cmb_event`.
const BASE: u64 = 1_753_945_760;
const DAY: u64 = 86_400;
/// Formats each number is written in (see [`formatted`]).
const FORMATS: usize = 7;
/// Numbers planted in User Feedback events (`PHONES[..UF_PHONES]`).
const UF_PHONES: usize = 20;
/// Index of `common::cmb_event`'s `client_number` (911234567890).
const CMB: usize = 20;
/// National (10-digit) parts of the planted numbers; all are above the
/// epoch-seconds range of 2000-2100, so none looks like a timestamp.
const PHONES: [&str; 21] = [
    "9876543210",
    "9123456780",
    "8899001122",
    "7012345678",
    "6123987450",
    "9988776655",
    "9090909091",
    "8123456709",
    "7766554433",
    "9445566778",
    "9811122233",
    "8001234567",
    "7900112233",
    "6300456789",
    "9543216780",
    "8877665544",
    "7654321098",
    "9321098765",
    "8765012349",
    "9012387654",
    "1234567890",
];
/// The business's own number: not personal, exported raw.
const BUSINESS: &str = "910987654321";

// ---------------------------------------------------------------------
// Planted data
// ---------------------------------------------------------------------

/// Normal form of planted number `n`: country code 91 and the national part.
fn normal(n: usize) -> String {
    format!("91{}", PHONES[n])
}

/// `--pii mask` of planted number `n`: `*` for every digit but the last 4.
fn masked(n: usize) -> String {
    let d = normal(n);
    format!("{}{}", "*".repeat(d.len() - 4), &d[d.len() - 4..])
}

/// Format `f` of planted number `n`, as it appears in the JSON payload.
fn formatted(n: usize, f: usize) -> Value {
    let p = PHONES[n];
    let (a, b) = p.split_at(5);
    match f % FORMATS {
        0 => json!(normal(n).parse::<u64>().unwrap()),
        1 => json!(format!("+91 {a} {b}")),
        2 => json!(format!("0091-{a}-{b}")),
        3 => json!(format!("{a} {b}")),
        4 => json!(p),
        5 => json!(format!("0{a} {b}")),
        _ => json!(format!("+91 ({a}) {b}")),
    }
}

/// Every text form of every planted number that must never be output.
fn leak_forms() -> Vec<String> {
    let mut forms = BTreeSet::new();
    for (n, national) in PHONES.iter().enumerate() {
        forms.insert(national.to_string());
        forms.insert(normal(n));
        for f in 0..FORMATS {
            forms.insert(cell_text(&formatted(n, f)));
        }
    }
    forms.into_iter().collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// The whole value is a phone number (or a non-number in a phone column).
    Phone,
    /// Free text, possibly with a number inside.
    FreeText,
    /// Must come out exactly as planted.
    Plain,
}

/// One planted value: where it lands and what it holds.
#[derive(Debug, Clone)]
struct Cell {
    table: &'static str,
    event_id: String,
    /// `_index` of a child-table row.
    index: Option<i64>,
    column: &'static str,
    raw: Value,
    /// The planted number it holds (whole value, or inside the text).
    number: Option<usize>,
    /// For free text: the number's text inside it.
    inner: Option<String>,
    kind: Kind,
}

/// Phone columns by construction (name/path or content), per table.
const PHONE_COLUMNS: &[(&str, &str)] = &[
    ("uf_events", "phone"),
    ("uf_events", "customer_number"),
    ("uf_events", "contact__msisdn"),
    ("uf_events", "caller__alt"),
    ("uf_events", "ref_code"),
    ("uf_events", "ref_float"),
    ("uf_events__numbers", "value"),
    ("uf_events__contacts", "tel"),
    ("uf_events__contacts", "whatsapp"),
    ("uf_events__contacts", "reach"),
    ("cmb_requests", "client_number"),
];
/// Columns that must stay as they are.
const PLAIN_COLUMNS: &[(&str, &str)] = &[
    ("uf_events", "visited_at_text"),
    ("uf_events", "visited_ms_text"),
    ("uf_events", "business_number"),
    ("uf_events__contacts", "name"),
    ("cmb_requests", "business_number"),
];
/// Tables with a protected column (phone or free text with numbers).
const AFFECTED_TABLES: &[&str] = &[
    "uf_events",
    "uf_events__numbers",
    "uf_events__contacts",
    "cmb_requests",
];

struct Planter<'a> {
    cells: &'a mut Vec<Cell>,
    event_id: String,
}

impl Planter<'_> {
    fn put(
        &mut self,
        table: &'static str,
        index: Option<i64>,
        column: &'static str,
        raw: Value,
        number: Option<usize>,
        kind: Kind,
    ) -> Value {
        self.cells.push(Cell {
            table,
            event_id: self.event_id.clone(),
            index,
            column,
            raw: raw.clone(),
            number,
            inner: None,
            kind,
        });
        raw
    }

    /// A phone-column cell holding number `n` in format `f`.
    fn phone(
        &mut self,
        table: &'static str,
        index: Option<i64>,
        column: &'static str,
        n: usize,
        f: usize,
    ) -> Value {
        self.put(table, index, column, formatted(n, f), Some(n), Kind::Phone)
    }
}

/// User Feedback event number `i` (its numbers and formats follow from `i`).
fn uf_event(i: usize, created_at: u64, cells: &mut Vec<Cell>) -> String {
    let event_id = format!("uf-{i:04}");
    let n = i % UF_PHONES;
    let f = (i / UF_PHONES) % FORMATS;
    let ph = |k: usize| (n + k) % UF_PHONES;
    let mut p = Planter {
        cells,
        event_id: event_id.clone(),
    };
    // "N/A" and "" among the numbers of a name-detected column
    let phone = if i % 11 == 5 {
        p.put("uf_events", None, "phone", json!("N/A"), None, Kind::Phone)
    } else if i % 13 == 7 {
        p.put("uf_events", None, "phone", json!(""), None, Kind::Phone)
    } else {
        p.phone("uf_events", None, "phone", n, f)
    };
    let customer = p.phone("uf_events", None, "customer_number", ph(1), f + 1);
    let msisdn = p.phone("uf_events", None, "contact__msisdn", ph(2), f + 2);
    // neutral path, found by content; one in ten is "N/A"
    let alt = if i.is_multiple_of(10) {
        p.put(
            "uf_events",
            None,
            "caller__alt",
            json!("N/A"),
            None,
            Kind::Phone,
        )
    } else {
        p.phone("uf_events", None, "caller__alt", ph(3), f + 3)
    };
    // JSON numbers only: a BIGINT column found by content
    let ref_code = p.put(
        "uf_events",
        None,
        "ref_code",
        json!(normal(ph(4)).parse::<u64>().unwrap()),
        Some(ph(4)),
        Kind::Phone,
    );
    // JSON numbers and an occasional fraction: a DOUBLE column
    let ref_float = if i.is_multiple_of(25) {
        p.put(
            "uf_events",
            None,
            "ref_float",
            json!(0.5),
            None,
            Kind::Phone,
        )
    } else {
        p.put(
            "uf_events",
            None,
            "ref_float",
            json!(normal(ph(5)).parse::<u64>().unwrap()),
            Some(ph(5)),
            Kind::Phone,
        )
    };
    let numbers = json!([
        p.phone("uf_events__numbers", Some(0), "value", ph(6), f),
        p.phone("uf_events__numbers", Some(1), "value", ph(7), f + 1),
        p.phone("uf_events__numbers", Some(2), "value", ph(8), f + 2),
    ]);
    let contacts = json!([
        {
            "name": p.put("uf_events__contacts", Some(0), "name", json!("Asha"), None, Kind::Plain),
            "tel": p.phone("uf_events__contacts", Some(0), "tel", ph(9), f + 3),
        },
        {
            "name": p.put("uf_events__contacts", Some(1), "name", json!("Ravi"), None, Kind::Plain),
            "whatsapp": p.phone("uf_events__contacts", Some(1), "whatsapp", ph(10), f + 4),
            "label": "home",
        },
        {
            "name": p.put("uf_events__contacts", Some(2), "name", json!("Meera"), None, Kind::Plain),
            "reach": p.phone("uf_events__contacts", Some(2), "reach", ph(11), f + 5),
        },
    ]);
    let inner = cell_text(&formatted(ph(12), f + 6));
    let comment = match i % 4 {
        0 => Some(format!("please call me on {inner} after 6pm")),
        1 => Some(format!("my number is {inner}, whatsapp preferred")),
        2 => Some(format!("Reach me at {inner}")),
        _ => None,
    };
    let comment = match comment {
        Some(t) => {
            let v = p.put(
                "uf_events",
                None,
                "comment",
                json!(t),
                Some(ph(12)),
                Kind::FreeText,
            );
            p.cells.last_mut().unwrap().inner = Some(inner);
            v
        }
        None => p.put(
            "uf_events",
            None,
            "comment",
            json!("no complaints, thanks"),
            None,
            Kind::FreeText,
        ),
    };
    // timestamp-like text: 10 and 13 digits, but epochs of 2025
    let visited = p.put(
        "uf_events",
        None,
        "visited_at_text",
        json!((created_at - 3600).to_string()),
        None,
        Kind::Plain,
    );
    let visited_ms = p.put(
        "uf_events",
        None,
        "visited_ms_text",
        json!(((created_at - 3600) * 1000 + (i as u64 % 1000)).to_string()),
        None,
        Kind::Plain,
    );
    let business = p.put(
        "uf_events",
        None,
        "business_number",
        json!(BUSINESS),
        None,
        Kind::Plain,
    );
    json!({
        "event_id": event_id,
        "client_account_id": "91c173bb-28d8-4030-9722-8663ff9589f3",
        "event_type": "uf",
        "created_at": created_at.to_string(),
        "uf_payload": {
            "phone": phone,
            "customer_number": customer,
            "contact": {"msisdn": msisdn},
            "caller": {"alt": alt},
            "ref_code": ref_code,
            "ref_float": ref_float,
            "numbers": numbers,
            "contacts": contacts,
            "comment": comment,
            "visited_at_text": visited,
            "visited_ms_text": visited_ms,
            "business_number": business,
            "tags": ["slow", "polite"],
            "rating": i % 5 + 1,
        }
    })
    .to_string()
}

/// A Call Me Back event (`common::cmb_event`) on day `day` after BASE.
fn cmb(id: &str, day: u64, cells: &mut Vec<Cell>) -> String {
    let mut e: Value = serde_json::from_str(&cmb_event(id, "A", true)).unwrap();
    e["created_at"] = json!((BASE + day * DAY).to_string());
    assert_eq!(e["cmb_payload"]["client_number"], normal(CMB));
    let mut p = Planter {
        cells,
        event_id: id.to_string(),
    };
    p.put(
        "cmb_requests",
        None,
        "client_number",
        json!(normal(CMB)),
        Some(CMB),
        Kind::Phone,
    );
    p.put(
        "cmb_requests",
        None,
        "business_number",
        e["cmb_payload"]["business_number"].clone(),
        None,
        Kind::Plain,
    );
    e.to_string()
}

/// Night 1: 300 User Feedback events over 3 days (2025-07-31 .. 08-02) and
/// two Call Me Back events (07-31, 08-01): 17 partitions.
fn night1(cells: &mut Vec<Cell>) -> Vec<String> {
    let mut lines: Vec<String> = (0..300)
        .map(|i| uf_event(i, BASE + (i as u64 % 3) * DAY + i as u64, cells))
        .collect();
    lines.push(cmb("cmb-1", 0, cells));
    lines.push(cmb("cmb-2", 1, cells));
    lines
}

/// Night 2: the same numbers in 60 more events over 2 new days (08-03,
/// 08-04) and one Call Me Back event (08-03): 11 new partitions.
fn night2(cells: &mut Vec<Cell>) -> Vec<String> {
    let mut lines: Vec<String> = (300..360)
        .map(|i| uf_event(i, BASE + (3 + i as u64 % 2) * DAY + i as u64, cells))
        .collect();
    lines.push(cmb("cmb-3", 3, cells));
    lines
}

// ---------------------------------------------------------------------
// Key and expected protected forms
// ---------------------------------------------------------------------

#[test]
fn hmac_helper_matches_rfc_4231() {
    // test case 2: key "Jefe", data "what do ya want for nothing?"
    assert_eq!(
        hmac_hex(b"Jefe", "what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Policy {
    Hash,
    Mask,
    Drop,
    Keep,
}

enum Want {
    Exact(String),
    NullOrEmpty,
    Skip,
}

/// What `cell` must look like under `policy` (with `key` for hash).
fn want(cell: &Cell, policy: Policy, key: &[u8]) -> Want {
    match (cell.kind, cell.number) {
        (Kind::Plain, _) => Want::Exact(cell_text(&cell.raw)),
        // "" is NULL once loaded
        (_, _) if cell.raw == "" && policy != Policy::Drop => Want::NullOrEmpty,
        (_, _) if policy == Policy::Keep => Want::Exact(cell_text(&cell.raw)),
        (_, _) if policy == Policy::Drop => Want::Skip,
        (Kind::Phone, Some(n)) => Want::Exact(match policy {
            Policy::Hash => hmac_hex(key, &normal(n)),
            _ => masked(n),
        }),
        // a phone column never falls back to raw: what is no number is
        // hashed (or masked) whole, of its trimmed text
        (Kind::Phone, None) => match &cell.raw {
            Value::String(s) if s.trim().is_empty() => Want::NullOrEmpty,
            Value::String(s) => Want::Exact(match policy {
                Policy::Hash => hmac_hex(key, s.trim()),
                _ => "*".repeat(s.trim().chars().count()),
            }),
            _ => Want::Skip,
        },
        (Kind::FreeText, Some(n)) => {
            let replacement = match policy {
                Policy::Hash => format!("[phone:{}]", &hmac_hex(key, &normal(n))[..16]),
                _ => masked(n),
            };
            Want::Exact(cell_text(&cell.raw).replace(cell.inner.as_deref().unwrap(), &replacement))
        }
        (Kind::FreeText, None) => Want::Exact(cell_text(&cell.raw)),
    }
}

// ---------------------------------------------------------------------
// Driving the binary
// ---------------------------------------------------------------------

/// A temp folder with a database; every command runs with HOME and the
/// XDG folders inside it (so no key can land in the user's home) and
/// without the PII environment variables.
struct Setup {
    _dir: tempfile::TempDir,
    root: PathBuf,
    db: PathBuf,
    cells: Vec<Cell>,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("home")).unwrap();
        Setup {
            db: root.join("h.duckdb"),
            root,
            _dir: dir,
            cells: Vec::new(),
        }
    }

    /// Night 1 ingested.
    fn night1() -> Setup {
        let mut s = Setup::new();
        let lines = night1(&mut s.cells);
        s.ingest("night1.ndjson", &lines);
        s
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    fn cmd(&self) -> assert_cmd::Command {
        isolated(&self.root)
    }

    fn ingest(&self, name: &str, lines: &[String]) {
        let file = self.path(name);
        std::fs::write(&file, ndjson(lines)).unwrap();
        let (code, summary, out) = ingest(&self.db, &[&file], &[]);
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(summary["inserted"], lines.len(), "{summary}");
        assert_eq!(summary["rejected"], 0, "{summary}");
    }

    /// Runs `cmd` and parses its JSON stdout; it must succeed.
    fn json(cmd: &mut assert_cmd::Command) -> Value {
        let o = cmd.output().unwrap();
        assert!(
            o.status.success(),
            "exit {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)))
    }

    fn export_cmd(&self, out: &Path, extra: &[&str]) -> assert_cmd::Command {
        let mut c = self.cmd();
        c.args(["export", "--json", "--db"])
            .arg(&self.db)
            .arg("--out")
            .arg(out)
            .args(extra);
        c
    }

    /// `hookstat export --json` with the key file `key`.
    fn export(&self, out: &Path, key: &Path, extra: &[&str]) -> Value {
        let mut c = self.export_cmd(out, extra);
        c.arg("--pii-key-file").arg(key);
        Setup::json(&mut c)
    }

    /// `hookstat report` with the dropped-in reports of [`write_reports`].
    fn report(&self, out: &Path, key: &Path, extra: &[&str]) {
        let reports = write_reports(&self.path("reports-in"));
        let o = self
            .cmd()
            .arg("report")
            .arg("--db")
            .arg(&self.db)
            .arg("--out")
            .arg(out)
            .arg("--reports")
            .arg(&reports)
            .arg("--pii-key-file")
            .arg(key)
            .args(extra)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "report exit {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// Dropped-in reports that select the raw phone columns and the free text.
fn write_reports(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let files = [
        (
            "uf_all.sql",
            "-- title: Raw User Feedback columns\n\
             SELECT event_id, phone, customer_number, contact__msisdn, caller__alt, ref_code,\n\
             ref_float, comment, visited_at_text, visited_ms_text, business_number\n\
             FROM uf_events ORDER BY event_id;\n",
        ),
        (
            "free_text.sql",
            "-- title: What users wrote\n\
             SELECT event_id, comment AS feedback FROM uf_events ORDER BY event_id;\n",
        ),
        (
            "child_phones.sql",
            "-- title: Numbers in arrays\n\
             SELECT event_id, 'numbers' AS src, _index, value AS v FROM uf_events__numbers\n\
             UNION ALL\n\
             SELECT event_id, 'contacts', _index, coalesce(tel, whatsapp, reach) FROM uf_events__contacts\n\
             ORDER BY 1, 2, 3;\n",
        ),
        (
            "phones_chart.sql",
            "-- title: Requests per phone\n\
             -- chart: bars\n\
             -- x: phone\n\
             -- y: n\n\
             SELECT phone, count(*) AS n FROM uf_events WHERE phone IS NOT NULL\n\
             GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 25;\n",
        ),
        (
            "alt_chart.sql",
            "-- title: Requests per alternative\n\
             -- chart: bars\n\
             -- x: caller__alt\n\
             -- y: n\n\
             SELECT caller__alt, count(*) AS n FROM uf_events WHERE caller__alt IS NOT NULL\n\
             GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 25;\n",
        ),
    ];
    for (name, sql) in files {
        std::fs::write(dir.join(name), sql).unwrap();
    }
    dir.to_path_buf()
}

fn parquet(out: &Path, table: &str) -> String {
    format!(
        "read_parquet('{}/{table}/**/*.parquet', hive_partitioning = true, union_by_name = true)",
        out.display()
    )
}

/// Table folders of an export (not the hidden staging or state files).
fn table_folders(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !n.starts_with('_'))
        .collect();
    v.sort();
    v
}

/// `hookstat query --format csv`: the output text.
fn query_csv(db: &Path, sql: &str) -> String {
    let o = hookstat()
        .args(["query", "--format", "csv", "--db"])
        .arg(db)
        .arg(sql)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "query failed: {sql}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Every exported table as CSV text, rows sorted.
fn dump(db: &Path, out: &Path) -> BTreeMap<String, String> {
    table_folders(out)
        .into_iter()
        .map(|t| {
            let csv = query_csv(
                db,
                &format!("SELECT * FROM {} ORDER BY ALL", parquet(out, &t)),
            );
            (t, csv)
        })
        .collect()
}

type RowKey = (String, Option<i64>);

/// Every exported table's rows, by event id and `_index`.
fn rows(db: &Path, out: &Path) -> BTreeMap<String, BTreeMap<RowKey, Value>> {
    table_folders(out)
        .into_iter()
        .map(|t| {
            let rows = query(db, &format!("SELECT * FROM {}", parquet(out, &t)))
                .into_iter()
                .map(|r| {
                    let key = (
                        r["event_id"].as_str().unwrap_or_default().to_string(),
                        r.get("_index").and_then(Value::as_i64),
                    );
                    (key, r)
                })
                .collect();
            (t, rows)
        })
        .collect()
}

/// The columns of an exported table.
fn schema(db: &Path, out: &Path, table: &str) -> BTreeSet<String> {
    query(
        db,
        &format!(
            "SELECT column_name FROM (DESCRIBE SELECT * FROM {})",
            parquet(out, table)
        ),
    )
    .into_iter()
    .map(|r| r["column_name"].as_str().unwrap().to_string())
    .collect()
}

/// The first planted number form found in `content`, with its context.
fn find_number(content: &str) -> Option<(String, String)> {
    leak_forms().into_iter().find_map(|form| {
        let at = content.find(&form)?;
        let mut from = at.saturating_sub(60);
        while !content.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (at + form.len() + 60).min(content.len());
        while !content.is_char_boundary(to) {
            to += 1;
        }
        Some((form, content[from..to].to_string()))
    })
}

/// Panics naming the first planted number form found in `content`.
fn assert_no_number(what: &str, content: &str) {
    if let Some((form, context)) = find_number(content) {
        panic!("{what} contains the planted number {form:?}: …{context}…");
    }
}

/// Checks every planted cell against the exported rows; returns the failures.
fn check_cells(
    cells: &[Cell],
    tables: &BTreeMap<String, BTreeMap<RowKey, Value>>,
    policy: Policy,
    key: &[u8],
) -> Vec<String> {
    let mut failures = Vec::new();
    for cell in cells {
        let Some(rows) = tables.get(cell.table) else {
            failures.push(format!("no exported table {}", cell.table));
            continue;
        };
        let Some(row) = rows.get(&(cell.event_id.clone(), cell.index)) else {
            failures.push(format!(
                "{} has no row {} {:?}",
                cell.table, cell.event_id, cell.index
            ));
            continue;
        };
        let got = row.get(cell.column);
        let ok = match (want(cell, policy, key), got) {
            (Want::Skip, _) => true,
            (_, None) => false,
            (Want::NullOrEmpty, Some(v)) => v.is_null() || v == "",
            (Want::Exact(w), Some(v)) => !v.is_null() && cell_text(v) == w,
        };
        if !ok {
            let shown = match want(cell, policy, key) {
                Want::Exact(w) => w,
                Want::NullOrEmpty => "NULL or empty".into(),
                Want::Skip => String::new(),
            };
            failures.push(format!(
                "{}.{} of {} {:?} (planted {}): got {:?}, want {shown:?}",
                cell.table, cell.column, cell.event_id, cell.index, cell.raw, got
            ));
        }
    }
    failures
}

fn assert_no_failures(what: &str, failures: &[String]) {
    // one example per wrong column, with how many of its values are wrong
    let mut by_column: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for f in failures {
        let column = f.split(" of ").next().unwrap_or(f);
        by_column.entry(column).or_insert((0, f)).0 += 1;
    }
    assert!(
        failures.is_empty(),
        "{what}: {} of the planted values are wrong:\n{}",
        failures.len(),
        by_column
            .values()
            .map(|(n, example)| format!("{n} like: {example}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Parquet bytes of every partition: `table/event_date=…` -> bytes.
fn partitions(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut map = BTreeMap::new();
    for table in table_folders(out) {
        for part in std::fs::read_dir(out.join(&table)).unwrap() {
            let part = part.unwrap();
            let name = part.file_name().to_string_lossy().into_owned();
            if !name.starts_with("event_date=") {
                continue;
            }
            let mut files: Vec<PathBuf> = std::fs::read_dir(part.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
                .collect();
            files.sort();
            let bytes = files
                .iter()
                .flat_map(|f| std::fs::read(f).unwrap())
                .collect();
            map.insert(format!("{table}/{name}"), bytes);
        }
    }
    map
}

fn manifest(out: &Path) -> Value {
    let path = out.join("_hookstat_pii.json");
    let content = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("no manifest {}: {e}", path.display()));
    serde_json::from_str(&content).unwrap()
}

/// Every file under `dir` (walked) whose name ends in one of `exts`.
fn files_under(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .filter(|p| exts.is_empty() || exts.iter().any(|x| p.to_string_lossy().ends_with(x)))
        .collect()
}

/// A report CSV as rows of column -> cell.
fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// Rows of a report CSV keyed like exported rows (`_index` and the
/// optional `src` column name the child row).
fn csv_rows(path: &Path, src: Option<&str>) -> BTreeMap<RowKey, Value> {
    read_csv(path)
        .into_iter()
        .filter(|r| src.is_none_or(|s| r.get("src").map(String::as_str) == Some(s)))
        .map(|r| {
            let key = (
                r["event_id"].clone(),
                r.get("_index").and_then(|i| i.parse().ok()),
            );
            let obj: serde_json::Map<String, Value> = r
                .into_iter()
                .map(|(k, v)| (k, if v.is_empty() { Value::Null } else { json!(v) }))
                .collect();
            (key, Value::Object(obj))
        })
        .collect()
}

/// Checks the dropped-in report CSVs in `out` against the planted cells
/// (hash policy): the same protected values as the export; every failure
/// is prefixed with its file.
fn report_failures(cells: &[Cell], out: &Path, key: &[u8]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut check = |file: &str, cells: Vec<Cell>, tables: Vec<(&str, Option<&str>)>| {
        let tables = tables
            .into_iter()
            .map(|(t, src)| (t.to_string(), csv_rows(&out.join("latest").join(file), src)))
            .collect();
        failures.extend(
            check_cells(&cells, &tables, Policy::Hash, key)
                .into_iter()
                .map(|f| format!("{file}: {f}")),
        );
    };
    // every column of uf_events, raw phone columns included
    let uf: Vec<Cell> = cells
        .iter()
        .filter(|c| c.table == "uf_events")
        .cloned()
        .collect();
    check("uf_all.csv", uf.clone(), vec![("uf_events", None)]);
    // free text under another column name
    let feedback = uf
        .iter()
        .filter(|c| c.column == "comment")
        .map(|c| Cell {
            column: "feedback",
            ..c.clone()
        })
        .collect();
    check("free_text.csv", feedback, vec![("uf_events", None)]);
    // numbers from the child tables, under a neutral column name
    let children = cells
        .iter()
        .filter(|c| c.table.starts_with("uf_events__") && c.kind == Kind::Phone)
        .map(|c| Cell {
            column: "v",
            ..c.clone()
        })
        .collect();
    check(
        "child_phones.csv",
        children,
        vec![
            ("uf_events__numbers", Some("numbers")),
            ("uf_events__contacts", Some("contacts")),
        ],
    );
    failures
}

fn summary_count(s: &Value, field: &str) -> usize {
    s[field]
        .as_u64()
        .unwrap_or_else(|| panic!("export summary has no {field}: {s}")) as usize
}

// ---------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------

#[test]
fn the_planted_columns_exist_as_described() {
    // guards the column names the other tests rely on (README naming rules)
    let s = Setup::night1();
    let n = scalar(
        &s.db,
        "SELECT count(*) FROM uf_events WHERE phone IS NOT NULL OR customer_number IS NOT NULL
         OR contact__msisdn IS NOT NULL OR caller__alt IS NOT NULL OR ref_code IS NOT NULL
         OR ref_float IS NOT NULL OR comment IS NOT NULL OR visited_at_text IS NOT NULL
         OR visited_ms_text IS NOT NULL OR business_number IS NOT NULL",
    );
    assert_eq!(n, 300);
    assert_eq!(
        scalar(&s.db, "SELECT count(value) FROM uf_events__numbers"),
        900
    );
    assert_eq!(
        scalar(
            &s.db,
            "SELECT count(tel) + count(whatsapp) + count(reach) + count(name) FROM uf_events__contacts"
        ),
        1800
    );
    let types: BTreeMap<String, String> = query(
        &s.db,
        "SELECT column_name AS k, data_type AS t FROM duckdb_columns() WHERE table_name = 'uf_events'",
    )
    .into_iter()
    .map(|r| {
        (
            r["k"].as_str().unwrap().to_string(),
            r["t"].as_str().unwrap().to_string(),
        )
    })
    .collect();
    assert_eq!(types["ref_code"], "BIGINT");
    assert_eq!(types["ref_float"], "DOUBLE");
    assert_eq!(types["phone"], "VARCHAR");
    assert_eq!(types["visited_at_text"], "VARCHAR");
}

#[test]
fn hashed_export_holds_no_planted_number_and_one_number_gives_one_hash() {
    let s = Setup::night1();
    let key_file = s.path("pii.key");
    let out = s.path("parquet");
    s.export(&out, &key_file, &[]);
    // no planted number, in any of its forms, in any exported value
    let tables = dump(&s.db, &out);
    for table in [
        "events",
        "uf_events",
        "uf_events__numbers",
        "uf_events__contacts",
    ] {
        assert!(
            tables.contains_key(table),
            "{table} not exported: {tables:?}"
        );
    }
    for (table, content) in &tables {
        assert_no_number(&format!("exported {table}"), content);
    }
    for state in files_under(&out, &[".json"]) {
        assert_no_number(
            &state.display().to_string(),
            &std::fs::read_to_string(&state).unwrap(),
        );
    }
    assert!(
        !schema(&s.db, &out, "events").contains("payload"),
        "events.payload exported under hash"
    );
    let exported = rows(&s.db, &out);
    // one number, whatever its format, gives one 64-hex value; distinct
    // numbers give distinct values
    let mut by_number: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for cell in s.cells.iter().filter(|c| c.kind == Kind::Phone) {
        let Some(n) = cell.number else { continue };
        let got = exported
            .get(cell.table)
            .and_then(|rows| rows.get(&(cell.event_id.clone(), cell.index)))
            .and_then(|r| r.get(cell.column))
            .map(cell_text)
            .unwrap_or_default();
        by_number.entry(n).or_default().insert(got);
    }
    assert_eq!(by_number.len(), PHONES.len());
    let mut seen = BTreeSet::new();
    for (n, values) in &by_number {
        assert_eq!(
            values.len(),
            1,
            "number {} gives {} different exported values: {values:?}",
            PHONES[*n],
            values.len()
        );
        let v = values.iter().next().unwrap();
        assert!(
            v.len() == 64
                && v.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "number {} exported as {v:?}, not 64 lowercase hex",
            PHONES[*n]
        );
        assert!(seen.insert(v.clone()), "two numbers share the hash {v}");
    }
    // and the value is HMAC-SHA256(key, normal form); numbers inside free
    // text are `[phone:<first 16 hex>]`; everything else is as planted
    let key = read_key_file(&key_file).unwrap();
    assert_eq!(
        by_number[&0].iter().next().unwrap(),
        &hmac_hex(&key.bytes, "919876543210")
    );
    assert_no_failures(
        "hash export",
        &check_cells(&s.cells, &exported, Policy::Hash, &key.bytes),
    );
}

#[test]
fn reports_show_no_planted_number_and_hash_like_the_export() {
    let s = Setup::night1();
    let key_file = s.path("pii.key");
    let out = s.path("reports-out");
    s.report(&out, &key_file, &[]);
    let files = files_under(&out, &[".csv", ".svg", ".html"]);
    for name in [
        "uf_all.csv",
        "free_text.csv",
        "child_phones.csv",
        "phones_chart.csv",
        "phones_chart.svg",
        "alt_chart.svg",
        "index.html",
    ] {
        assert!(
            files.iter().any(|f| f.ends_with(name)),
            "{name} not written: {files:?}"
        );
    }
    for file in &files {
        let content = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        assert_no_number(&file.display().to_string(), &content);
    }
    let key = read_key_file(&key_file).unwrap();
    assert_no_failures("reports", &report_failures(&s.cells, &out, &key.bytes));
}

#[test]
fn manifest_lists_phone_and_text_columns() {
    let s = Setup::night1();
    let key_file = s.path("pii.key");
    let out = s.path("parquet");
    s.export(&out, &key_file, &[]);
    let m = manifest(&out);
    let key = read_key_file(&key_file).unwrap();
    assert_eq!(m["policy"], "hash", "{m}");
    assert_eq!(m["key_id"], key.id.as_str(), "{m}");
    assert_eq!(m["country_code"], "91", "{m}");
    for (table, column) in PHONE_COLUMNS {
        assert_eq!(
            m["tables"][table][column], "phone",
            "{table}.{column} in the manifest: {m}"
        );
    }
    assert_eq!(m["tables"]["uf_events"]["comment"], "text", "{m}");
    for (table, column) in PLAIN_COLUMNS {
        assert_ne!(
            m["tables"][table][column], "phone",
            "{table}.{column} is not a phone column: {m}"
        );
    }
}

#[test]
fn key_file_is_private_and_its_key_is_written_nowhere_else() {
    let s = Setup::night1();
    let key_file = s.path("pii.key");
    assert!(!key_file.exists());
    let out = s.path("parquet");
    s.export(&out, &key_file, &[]);
    let reports = s.path("reports-out");
    s.report(&reports, &key_file, &[]);
    let key = read_key_file(&key_file).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "key file mode {:o}", mode & 0o777);
    }
    // the same key is used again, not replaced
    s.export(&s.path("parquet2"), &key_file, &[]);
    assert_eq!(read_key_file(&key_file).unwrap().hex, key.hex);
    let upper = key.hex.to_ascii_uppercase();
    let mut files = files_under(&out, &[]);
    files.extend(files_under(&reports, &[]));
    files.extend(files_under(&s.path("parquet2"), &[]));
    files.extend(
        std::fs::read_dir(&s.root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains("h.duckdb") && p.is_file()),
    );
    assert!(files.iter().any(|f| f.ends_with("h.duckdb")));
    assert!(files.iter().any(|f| f.ends_with("_hookstat_pii.json")));
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for needle in [key.hex.as_bytes(), upper.as_bytes(), &key.bytes[..]] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "the key appears in {}",
                file.display()
            );
        }
    }
}

#[test]
fn hashes_stay_across_nights_and_exports_and_follow_the_key_and_policy() {
    let mut s = Setup::night1();
    let key1 = s.path("key1");
    let out = s.path("parquet");
    let first = s.export(&out, &key1, &[]);
    assert_eq!(summary_count(&first, "partitions_written"), 17, "{first}");
    let k1 = read_key_file(&key1).unwrap();
    // night 2: the same numbers in new events on new days
    let lines = night2(&mut s.cells);
    s.ingest("night2.ndjson", &lines);
    let second = s.export(&out, &key1, &[]);
    assert_eq!(summary_count(&second, "partitions_written"), 11, "{second}");
    assert_eq!(
        summary_count(&second, "partitions_unchanged"),
        17,
        "{second}"
    );
    let exported = rows(&s.db, &out);
    assert_no_failures(
        "two nights, one key",
        &check_cells(&s.cells, &exported, Policy::Hash, &k1.bytes),
    );
    // a fresh folder with the same key (given by the environment this time)
    // holds exactly the same values
    let fresh = s.path("fresh");
    Setup::json(s.export_cmd(&fresh, &[]).env(KEY_ENV, &key1));
    assert_eq!(read_key_file(&key1).unwrap().hex, k1.hex);
    let (a, b) = (dump(&s.db, &out), dump(&s.db, &fresh));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (table, content) in &a {
        assert_eq!(content, &b[table], "{table}: the two exports differ");
    }

    // a new key rewrites every affected partition and changes every
    // protected value
    let total = partitions(&out);
    assert_eq!(total.len(), 28);
    let affected: Vec<&String> = total
        .keys()
        .filter(|p| AFFECTED_TABLES.contains(&p.split('/').next().unwrap()))
        .collect();
    assert_eq!(affected.len(), 18);
    let key2 = s.path("key2");
    let turned = s.export(&out, &key2, &[]);
    let k2 = read_key_file(&key2).unwrap();
    assert_ne!(k2.hex, k1.hex);
    assert_ne!(k2.id, k1.id);
    assert_eq!(manifest(&out)["key_id"], k2.id.as_str());
    let written = summary_count(&turned, "partitions_written");
    assert!(written >= affected.len(), "{turned}");
    assert_eq!(
        written + summary_count(&turned, "partitions_unchanged"),
        total.len(),
        "{turned}"
    );
    let after = partitions(&out);
    for p in &affected {
        assert_ne!(total[*p], after[*p], "{p} not rewritten after a new key");
    }
    let exported = rows(&s.db, &out);
    assert_no_failures(
        "new key",
        &check_cells(&s.cells, &exported, Policy::Hash, &k2.bytes),
    );
    for (table, content) in dump(&s.db, &out) {
        assert_no_number(&format!("{table} after a new key"), &content);
    }

    // so does a new policy
    let masked_run = s.export(&out, &key2, &["--pii", "mask"]);
    let written = summary_count(&masked_run, "partitions_written");
    assert!(written >= affected.len(), "{masked_run}");
    let last = partitions(&out);
    for p in &affected {
        assert_ne!(after[*p], last[*p], "{p} not rewritten after --pii mask");
    }
    assert_eq!(manifest(&out)["policy"], "mask");
    let exported = rows(&s.db, &out);
    assert_no_failures(
        "mask after hash",
        &check_cells(&s.cells, &exported, Policy::Mask, &k2.bytes),
    );
}

/// Night 1: 12 events whose neutral `backup_ref` holds numbers (found by
/// content); night 2: 40 events where it is "N/A" (12 of 52 values are
/// numbers then: under half).
fn harmless_later(s: &mut Setup) -> (Vec<String>, Vec<String>) {
    let mut n1 = Vec::new();
    for i in 0..12 {
        let id = format!("b1-{i:02}");
        let raw = formatted(i, i);
        s.cells.push(Cell {
            table: "uf_events",
            event_id: id.clone(),
            index: None,
            column: "backup_ref",
            raw: raw.clone(),
            number: Some(i),
            inner: None,
            kind: Kind::Phone,
        });
        n1.push(
            json!({"event_id": id, "event_type": "uf", "created_at": BASE.to_string(),
                   "uf_payload": {"backup_ref": raw, "rating": 3}})
            .to_string(),
        );
    }
    let mut n2 = Vec::new();
    for i in 0..40 {
        let id = format!("b2-{i:02}");
        s.cells.push(Cell {
            table: "uf_events",
            event_id: id.clone(),
            index: None,
            column: "backup_ref",
            raw: json!("N/A"),
            number: None,
            inner: None,
            kind: Kind::Phone,
        });
        n2.push(
            json!({"event_id": id, "event_type": "uf", "created_at": (BASE + DAY).to_string(),
                   "uf_payload": {"backup_ref": "N/A", "rating": 4}})
            .to_string(),
        );
    }
    (n1, n2)
}

#[test]
fn a_protected_column_stays_protected_when_later_nights_look_harmless() {
    let mut s = Setup::new();
    let (n1, n2) = harmless_later(&mut s);
    s.ingest("n1.ndjson", &n1);
    let key_file = s.path("pii.key");
    let out = s.path("parquet");
    s.export(&out, &key_file, &[]);
    assert_eq!(manifest(&out)["tables"]["uf_events"]["backup_ref"], "phone");
    s.ingest("n2.ndjson", &n2);
    s.export(&out, &key_file, &[]);
    let m = manifest(&out);
    assert_eq!(
        m["tables"]["uf_events"]["backup_ref"], "phone",
        "protection dropped after a harmless night: {m}"
    );
    for (table, content) in dump(&s.db, &out) {
        assert_no_number(&format!("{table} after night 2"), &content);
    }
    let key = read_key_file(&key_file).unwrap();
    assert_no_failures(
        "night 2",
        &check_cells(&s.cells, &rows(&s.db, &out), Policy::Hash, &key.bytes),
    );
}

#[test]
fn a_fresh_export_folder_keeps_earlier_protection_decisions() {
    // the same as above, but night 2 is exported into a new folder: the
    // decision of night 1 must not live only in the old folder
    let mut s = Setup::new();
    let (n1, n2) = harmless_later(&mut s);
    s.ingest("n1.ndjson", &n1);
    let key_file = s.path("pii.key");
    s.export(&s.path("parquet"), &key_file, &[]);
    s.ingest("n2.ndjson", &n2);
    let out = s.path("fresh");
    s.export(&out, &key_file, &[]);
    for (table, content) in dump(&s.db, &out) {
        assert_no_number(&format!("{table} in a fresh folder"), &content);
    }
    let m = manifest(&out);
    assert_eq!(
        m["tables"]["uf_events"]["backup_ref"], "phone",
        "a column protected as phone in an earlier export is not a phone column in a fresh folder: {m}"
    );
}

#[test]
fn mask_drop_and_keep() {
    let s = Setup::night1();
    let key_file = s.path("pii.key");
    let no_key = [0u8; 0];

    let out = s.path("mask");
    s.export(&out, &key_file, &["--pii", "mask"]);
    for (table, content) in dump(&s.db, &out) {
        assert_no_number(&format!("masked {table}"), &content);
    }
    // exactly `*` for every digit of the normal form but the last 4
    assert_no_failures(
        "mask",
        &check_cells(&s.cells, &rows(&s.db, &out), Policy::Mask, &no_key),
    );
    assert_eq!(manifest(&out)["policy"], "mask");

    let out = s.path("drop");
    s.export(&out, &key_file, &["--pii", "drop"]);
    for (table, content) in dump(&s.db, &out) {
        assert_no_number(&format!("{table} under drop"), &content);
    }
    for (table, column) in PHONE_COLUMNS {
        assert!(
            !schema(&s.db, &out, table).contains(*column),
            "{table}.{column} exported under --pii drop"
        );
    }
    for (table, column) in PLAIN_COLUMNS {
        assert!(
            schema(&s.db, &out, table).contains(*column),
            "{table}.{column} missing under --pii drop"
        );
    }
    assert!(schema(&s.db, &out, "uf_events").contains("comment"));
    assert_no_failures(
        "drop",
        &check_cells(&s.cells, &rows(&s.db, &out), Policy::Drop, &no_key),
    );

    let out = s.path("keep");
    s.export(&out, &key_file, &["--pii", "keep"]);
    assert_no_failures(
        "keep",
        &check_cells(&s.cells, &rows(&s.db, &out), Policy::Keep, &no_key),
    );
    // the leak check sees raw numbers when they are there
    let kept = dump(&s.db, &out);
    assert!(find_number(&kept["uf_events"]).is_some());
    assert!(find_number(&kept["uf_events__contacts"]).is_some());
    let payloads = query_csv(
        &s.db,
        &format!("SELECT payload FROM {}", parquet(&out, "events")),
    );
    assert!(payloads.contains("98765 43210"), "raw payload under keep");

    // the salt flag is gone
    let o = s
        .export_cmd(&s.path("salted"), &["--pii-salt", "x"])
        .arg("--pii-key-file")
        .arg(&key_file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "--pii-salt is still accepted");
}

#[test]
fn country_code_completes_national_numbers() {
    let s = Setup::new();
    // a UK mobile written nationally, trunk prefix and all
    let national = "07400 123456";
    let lines: Vec<String> = [("cc-1", national), ("cc-2", "+91 98765 43210")]
        .iter()
        .map(|(id, phone)| {
            json!({"event_id": id, "event_type": "uf", "created_at": BASE.to_string(),
                   "uf_payload": {"phone": phone, "comment": format!("call {phone} now")}})
            .to_string()
        })
        .collect();
    s.ingest("cc.ndjson", &lines);
    let key_file = s.path("pii.key");
    let out = s.path("parquet");
    s.export(&out, &key_file, &["--pii-country-code", "44"]);
    let key = read_key_file(&key_file).unwrap();
    assert_eq!(manifest(&out)["country_code"], "44");
    let got = query(
        &s.db,
        &format!(
            "SELECT event_id, phone, comment FROM {} ORDER BY event_id",
            parquet(&out, "uf_events")
        ),
    );
    let uk = hmac_hex(&key.bytes, "447400123456");
    let india = hmac_hex(&key.bytes, "919876543210");
    assert_eq!(got[0]["phone"], uk.as_str());
    assert_eq!(
        got[0]["comment"],
        format!("call [phone:{}] now", &uk[..16]).as_str()
    );
    assert_eq!(got[1]["phone"], india.as_str());
    assert_eq!(
        got[1]["comment"],
        format!("call [phone:{}] now", &india[..16]).as_str()
    );
}

#[test]
fn the_nightly_run_protects_reports_and_export() {
    let mut s = Setup::new();
    let lines = night1(&mut s.cells);
    let archive = s.path("archive");
    std::fs::create_dir_all(&archive).unwrap();
    std::fs::write(archive.join("night1.ndjson"), ndjson(&lines)).unwrap();
    write_reports(&s.path("reports-in"));
    let config = s.path("hookstat.toml");
    std::fs::write(&config, "reports_dir = \"reports-in\"\n").unwrap();
    let key_file = s.path("pii.key");
    let (reports, out) = (s.path("reports-out"), s.path("parquet"));
    let summary = Setup::json(
        s.cmd()
            .arg("run")
            .arg("--config")
            .arg(&config)
            .arg("--db")
            .arg(&s.db)
            .arg("--report-out")
            .arg(&reports)
            .arg("--export-out")
            .arg(&out)
            .arg("--pii-key-file")
            .arg(&key_file)
            .arg("--json")
            .arg(&archive),
    );
    assert_eq!(summary["exit_code"], 0, "{summary}");
    for file in files_under(&reports, &[".csv", ".svg", ".html"]) {
        let content = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        assert_no_number(&file.display().to_string(), &content);
    }
    for (table, content) in dump(&s.db, &out) {
        assert_no_number(&format!("exported {table}"), &content);
    }
    let key = read_key_file(&key_file).unwrap();
    assert_no_failures(
        "run export",
        &check_cells(&s.cells, &rows(&s.db, &out), Policy::Hash, &key.bytes),
    );
    assert_no_failures(
        "run reports",
        &report_failures(&s.cells, &reports, &key.bytes),
    );
}
