//! Phone numbers of every market, script and place never leave raw.
//!
//! For each of 13 markets (India, UAE, Saudi Arabia, Nigeria, Israel,
//! Jordan, Iran, Egypt, Kenya, Pakistan, Indonesia, the US, the UK) two
//! valid mobile numbers (E.164 written here by hand from the public
//! numbering plans, checked against libphonenumber's metadata when the
//! test was written) are planted in User Feedback events, in every shape a
//! user or a receiver writes them:
//!
//! - bare international digits, as a JSON string and as a JSON number;
//! - `+CC` with spaces, `00CC` with hyphens, national with the trunk
//!   prefix in the local format (the market's archive is exported and
//!   reported with `--pii-country-code CC`, the region national forms are
//!   read in);
//! - the `+CC` form in Devanagari, Arabic-Indic, Extended Arabic-Indic
//!   (Persian), Bengali and full-width digits;
//! - as a key of a `call_log` object (data in keys: a child table
//!   `uf_events__call_log` with a `key` column);
//! - inside free text (`comment`), with Latin, Devanagari and Arabic-Indic
//!   digits;
//!
//! under phone-ish names (`customer_number`, `contact.msisdn`) and neutral
//! names found by content (`ref` with every shape, `ref_code` with JSON
//! numbers only). Each event also carries real times, which must come out
//! unchanged: `visited_at` (epoch seconds of its `created_at`; the loader
//! makes a TIMESTAMP of epoch seconds in a `*_at` column, so the same
//! instant as a TIMESTAMP counts as unchanged), `visited_ms_time`
//! (milliseconds) and the text `booked at <seconds>`.
//!
//! Per market: `hookstat ingest`, `hookstat export` and `hookstat report`
//! (with a dropped-in report whose chart puts `customer_number` on the x
//! axis). Then: no file, folder or file name, Parquet cell or column name,
//! manifest, CSV, SVG or HTML holds any raw form of a planted number; every
//! planted value is HMAC-SHA256 of its E.164 digits under the key file's
//! key (in text `[phone:<first 16 hex>]`), one hash per number whatever
//! its shape; the times are as planted. Every expected value is computed
//! here from the hand-written E.164 digits and the key read from the key
//! file (format of tests/pii.rs: lines `key=<64 hex>` and `id=<hex>`).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::pii::*;
use common::*;
use serde_json::{json, Value};

const DAY: u64 = 86_400;
/// 2025-06-01 00:00:00 UTC: the first market's first `created_at`; each
/// market starts 23 days after the previous one (the last in March 2026).
const START: u64 = 1_748_736_000;
/// The dropped-in report (file stem).
const REPORT: &str = "market_numbers";

// ---------------------------------------------------------------------
// Markets and their numbers (hand-written)
// ---------------------------------------------------------------------

/// One planted mobile number.
struct Phone {
    /// E.164 digits without `+`: the normal form that is hashed.
    e164: &'static str,
    /// `+CC` and the national significant number, grouped with spaces.
    intl: &'static str,
    /// National form with the trunk prefix, written the local way.
    national: &'static str,
}

struct Market {
    name: &'static str,
    /// Country calling code (`--pii-country-code`).
    code: &'static str,
    /// Trunk prefix of national numbers.
    trunk: &'static str,
    phones: [Phone; 2],
}

const fn phone(e164: &'static str, intl: &'static str, national: &'static str) -> Phone {
    Phone {
        e164,
        intl,
        national,
    }
}

const MARKETS: [Market; 13] = [
    Market {
        name: "India",
        code: "91",
        trunk: "0",
        phones: [
            phone("919876543210", "+91 98765 43210", "098765 43210"),
            phone("917012345678", "+91 70123 45678", "070123 45678"),
        ],
    },
    Market {
        name: "UAE",
        code: "971",
        trunk: "0",
        phones: [
            // a millisecond epoch of October 2000: still a phone number
            phone("971501234567", "+971 50 123 4567", "050 123 4567"),
            phone("971551234567", "+971 55 123 4567", "055 123 4567"),
        ],
    },
    Market {
        name: "Saudi Arabia",
        code: "966",
        trunk: "0",
        phones: [
            phone("966551234567", "+966 55 123 4567", "055 123 4567"),
            phone("966538765432", "+966 53 876 5432", "053 876 5432"),
        ],
    },
    Market {
        name: "Nigeria",
        code: "234",
        trunk: "0",
        phones: [
            // a millisecond epoch of 2044
            phone("2348031234567", "+234 803 123 4567", "0803 123 4567"),
            phone("2347061234567", "+234 706 123 4567", "0706 123 4567"),
        ],
    },
    Market {
        name: "Israel",
        code: "972",
        trunk: "0",
        phones: [
            // (972 52-1xx is not an allocated mobile range: 52-2xx is)
            phone("972522345678", "+972 52 234 5678", "052-234-5678"),
            phone("972547654321", "+972 54 765 4321", "054-765-4321"),
        ],
    },
    Market {
        name: "Jordan",
        code: "962",
        trunk: "0",
        phones: [
            phone("962791234567", "+962 7 9123 4567", "07 9123 4567"),
            phone("962777654321", "+962 7 7765 4321", "07 7765 4321"),
        ],
    },
    Market {
        name: "Iran",
        code: "98",
        trunk: "0",
        phones: [
            phone("989123456789", "+98 912 345 6789", "0912 345 6789"),
            phone("989351234567", "+98 935 123 4567", "0935 123 4567"),
        ],
    },
    Market {
        name: "Egypt",
        code: "20",
        trunk: "0",
        phones: [
            phone("201012345678", "+20 10 12345678", "010 12345678"),
            phone("201223456789", "+20 12 23456789", "012 23456789"),
        ],
    },
    Market {
        name: "Kenya",
        code: "254",
        trunk: "0",
        phones: [
            phone("254712345678", "+254 712 345678", "0712 345678"),
            phone("254722987654", "+254 722 987654", "0722 987654"),
        ],
    },
    Market {
        name: "Pakistan",
        code: "92",
        trunk: "0",
        phones: [
            phone("923001234567", "+92 300 1234567", "0300 1234567"),
            phone("923451234567", "+92 345 1234567", "0345 1234567"),
        ],
    },
    Market {
        name: "Indonesia",
        code: "62",
        trunk: "0",
        phones: [
            phone("6281234567890", "+62 812 3456 7890", "0812-3456-7890"),
            phone("6285712345678", "+62 857 1234 5678", "0857-1234-5678"),
        ],
    },
    Market {
        name: "US",
        code: "1",
        trunk: "1",
        phones: [
            // national numbers are written without the trunk `1` locally
            phone("14155552671", "+1 415 555 2671", "(415) 555-2671"),
            phone("17185042736", "+1 718 504 2736", "(718) 504-2736"),
        ],
    },
    Market {
        name: "UK",
        code: "44",
        trunk: "0",
        phones: [
            // (07911 1xxxxx is not allocated, nor the drama range 07700 900xxx)
            phone("447912345678", "+44 7912 345678", "07912 345678"),
            phone("447412345678", "+44 7412 345678", "07412 345678"),
        ],
    },
];

impl Phone {
    /// National significant number: E.164 without the country code.
    fn nsn(&self, m: &Market) -> &'static str {
        &self.e164[m.code.len()..]
    }
}

// ---------------------------------------------------------------------
// Scripts and shapes
// ---------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Script {
    Devanagari,
    ArabicIndic,
    Persian,
    Bengali,
    FullWidth,
}

impl Script {
    const ALL: [Script; 5] = [
        Script::Devanagari,
        Script::ArabicIndic,
        Script::Persian,
        Script::Bengali,
        Script::FullWidth,
    ];

    fn zero(self) -> u32 {
        match self {
            Script::Devanagari => 0x0966,
            Script::ArabicIndic => 0x0660,
            Script::Persian => 0x06F0,
            Script::Bengali => 0x09E6,
            Script::FullWidth => 0xFF10,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Script::Devanagari => "devanagari",
            Script::ArabicIndic => "arabic-indic",
            Script::Persian => "persian",
            Script::Bengali => "bengali",
            Script::FullWidth => "full-width",
        }
    }

    /// `s` with its ASCII digits written in this script.
    fn write(self, s: &str) -> String {
        s.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => char::from_u32(self.zero() + d).unwrap(),
                _ => c,
            })
            .collect()
    }
}

/// `s` with the digits of the five scripts written in ASCII.
fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| {
            Script::ALL
                .iter()
                .find_map(|sc| {
                    let d = (c as u32).checked_sub(sc.zero())?;
                    (d < 10).then(|| char::from_digit(d, 10).unwrap())
                })
                .unwrap_or(c)
        })
        .collect()
}

/// The ASCII digits of `s`.
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// `971501234567` as a JSON string.
    BareText,
    /// `971501234567` as a JSON number.
    BareNumber,
    /// `+971 50 123 4567`.
    Plus,
    /// `00971-50-123-4567`.
    DoubleZero,
    /// `050 123 4567` (read with `--pii-country-code 971`).
    National,
    /// The `+CC` form in another script: spaced for the first number,
    /// unformatted (`+٩٧١٥٠١٢٣٤٥٦٧`) for the second.
    Script(Script),
}

const SHAPES: [Shape; 10] = [
    Shape::BareText,
    Shape::BareNumber,
    Shape::Plus,
    Shape::DoubleZero,
    Shape::National,
    Shape::Script(Script::Devanagari),
    Shape::Script(Script::ArabicIndic),
    Shape::Script(Script::Persian),
    Shape::Script(Script::Bengali),
    Shape::Script(Script::FullWidth),
];

/// Shapes of the numbers inside free text.
const TEXT_SHAPES: [Shape; 5] = [
    Shape::Plus,
    Shape::National,
    Shape::BareText,
    Shape::Script(Script::Devanagari),
    Shape::Script(Script::ArabicIndic),
];

/// Shapes of the numbers as `call_log` keys.
const KEY_SHAPES: [Shape; 3] = [Shape::BareText, Shape::Plus, Shape::National];

impl Shape {
    fn name(self) -> String {
        match self {
            Shape::BareText => "bare digits (string)".into(),
            Shape::BareNumber => "bare digits (JSON number)".into(),
            Shape::Plus => "+CC spaced".into(),
            Shape::DoubleZero => "00CC hyphens".into(),
            Shape::National => "national with trunk".into(),
            Shape::Script(s) => format!("+CC in {} digits", s.name()),
        }
    }

    /// Number `which` of the market in this shape, as planted in JSON.
    fn plant(self, p: &Phone, which: usize) -> Value {
        match self {
            Shape::BareText => json!(p.e164),
            Shape::BareNumber => json!(p.e164.parse::<u64>().unwrap()),
            Shape::Plus => json!(p.intl),
            Shape::DoubleZero => json!(format!("00{}", &p.intl[1..]).replace(' ', "-")),
            Shape::National => json!(p.national),
            Shape::Script(s) => {
                let base = if which == 0 {
                    p.intl.to_string()
                } else {
                    format!("+{}", p.e164)
                };
                json!(s.write(&base))
            }
        }
    }

    fn text(self, p: &Phone, which: usize) -> String {
        cell_text(&self.plant(p, which))
    }
}

// ---------------------------------------------------------------------
// Planted events
// ---------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// The whole value is the number: its hash.
    Phone,
    /// Free text with the number inside: `[phone:<16 hex>]` in its place.
    FreeText,
    /// The row's `key` in the child table of `call_log`: its hash.
    Key,
    /// A time: exactly as planted.
    Plain,
}

/// One planted value and where it must land.
#[derive(Debug, Clone)]
struct Cell {
    table: &'static str,
    event_id: String,
    column: &'static str,
    raw: Value,
    /// Which of the market's two numbers it holds.
    number: Option<usize>,
    shape: Option<Shape>,
    /// For free text: the number's text inside it.
    inner: Option<String>,
    /// Another acceptable value: for epoch seconds in a `*_at` column,
    /// the same instant as the TIMESTAMP the loader makes of it.
    alt: Option<String>,
    kind: Kind,
}

impl Cell {
    fn label(&self) -> String {
        match self.shape {
            Some(s) => format!("{}.{} [{}]", self.table, self.column, s.name()),
            None => format!("{}.{}", self.table, self.column),
        }
    }
}

/// Events per market: each number in each of the 10 shapes.
const EVENTS: usize = 2 * SHAPES.len();

fn created_at(market: usize, i: usize) -> u64 {
    START + market as u64 * 23 * DAY + i as u64 * 7_919
}

/// The market's events (NDJSON lines) and the cells planted in them.
fn market_events(mi: usize) -> (Vec<String>, Vec<Cell>) {
    let m = &MARKETS[mi];
    let mut lines = Vec::new();
    let mut cells = Vec::new();
    for i in 0..EVENTS {
        let n = i % 2;
        let s = i / 2;
        let p = &m.phones[n];
        let event_id = format!("{}-{i:02}", slug(m));
        let created = created_at(mi, i);
        let mut put = |table: &'static str,
                       column: &'static str,
                       raw: Value,
                       shape: Option<Shape>,
                       inner: Option<String>,
                       kind: Kind| {
            cells.push(Cell {
                table,
                event_id: event_id.clone(),
                column,
                raw: raw.clone(),
                number: (kind != Kind::Plain).then_some(n),
                shape,
                inner,
                alt: None,
                kind,
            });
            raw
        };
        let mut phone_cell = |column: &'static str, shape: Shape| {
            put(
                "uf_events",
                column,
                shape.plant(p, n),
                Some(shape),
                None,
                Kind::Phone,
            )
        };
        let customer = phone_cell("customer_number", SHAPES[s]);
        let msisdn = phone_cell("contact__msisdn", SHAPES[(s + 3) % SHAPES.len()]);
        let reference = phone_cell("ref", SHAPES[(s + 6) % SHAPES.len()]);
        let ref_code = put(
            "uf_events",
            "ref_code",
            Shape::BareNumber.plant(p, n),
            Some(Shape::BareNumber),
            None,
            Kind::Phone,
        );
        let key_shape = KEY_SHAPES[s % KEY_SHAPES.len()];
        let key = key_shape.text(p, n);
        put(
            "uf_events__call_log",
            "key",
            json!(&key),
            Some(key_shape),
            None,
            Kind::Key,
        );
        let mut call_log = serde_json::Map::new();
        call_log.insert(key, json!(if n == 0 { "answered" } else { "missed" }));
        let text_shape = TEXT_SHAPES[s % TEXT_SHAPES.len()];
        let inner = text_shape.text(p, n);
        let comment = put(
            "uf_events",
            "comment",
            json!(format!("please call me on {inner} after 6pm")),
            Some(text_shape),
            Some(inner),
            Kind::FreeText,
        );
        let note = put(
            "uf_events",
            "note",
            json!(format!("booked at {created}")),
            None,
            None,
            Kind::Plain,
        );
        let visited = put(
            "uf_events",
            "visited_at",
            json!(created),
            None,
            None,
            Kind::Plain,
        );
        let visited_ms = put(
            "uf_events",
            "visited_ms_time",
            json!(created * 1000 + (i as u64 * 37) % 1000),
            None,
            None,
            Kind::Plain,
        );
        // epoch seconds in a `*_at` column load as a TIMESTAMP (README)
        let at = cells.iter_mut().rev().find(|c| c.column == "visited_at");
        at.unwrap().alt = Some(utc(created));
        lines.push(
            json!({
                "event_id": event_id,
                "client_account_id": "91c173bb-28d8-4030-9722-8663ff9589f3",
                "event_type": "uf",
                "created_at": created.to_string(),
                "uf_payload": {
                    "customer_number": customer,
                    "contact": {"msisdn": msisdn},
                    "ref": reference,
                    "ref_code": ref_code,
                    "call_log": call_log,
                    "comment": comment,
                    "note": note,
                    "visited_at": visited,
                    "visited_ms_time": visited_ms,
                    "rating": i % 5 + 1,
                }
            })
            .to_string(),
        );
    }
    (lines, cells)
}

/// Epoch seconds as a UTC time, `2025-06-01T00:00:00`.
fn utc(secs: u64) -> String {
    // days to civil date (Howard Hinnant's algorithm)
    let z = (secs / DAY) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let t = secs % DAY;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// Lower-case ASCII name of a market, for ids and folders.
fn slug(m: &Market) -> String {
    m.name
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase()
}

// ---------------------------------------------------------------------
// Raw forms that must never be output
// ---------------------------------------------------------------------

/// A form that must not appear, with what it is.
struct Form {
    needle: String,
    what: String,
}

/// Every raw form of the market's numbers.
struct Leaks {
    /// Searched as they are, in text and in bytes: each shape as planted
    /// (non-ASCII scripts too) and the ASCII digit forms.
    exact: Vec<Form>,
    /// Searched in text after other scripts' digits became ASCII: the
    /// ASCII digit forms and the ASCII version of every shape.
    ascii: Vec<Form>,
    /// Searched in text with ASCII digits and without separators: the
    /// E.164 digits and the national digits with the trunk prefix.
    joined: Vec<Form>,
}

fn leaks(m: &Market) -> Leaks {
    let mut exact = BTreeMap::new();
    let mut joined = BTreeMap::new();
    for (n, p) in m.phones.iter().enumerate() {
        let nsn = p.nsn(m);
        let trunk = format!("{}{nsn}", m.trunk);
        exact.insert(p.e164.to_string(), format!("E.164 digits of {}", p.e164));
        exact.insert(nsn.to_string(), format!("national digits of {}", p.e164));
        exact.insert(
            trunk.clone(),
            format!("national digits with trunk of {}", p.e164),
        );
        joined.insert(p.e164.to_string(), format!("E.164 digits of {}", p.e164));
        joined.insert(trunk, format!("national digits with trunk of {}", p.e164));
        let all = SHAPES.iter().chain(&TEXT_SHAPES).chain(&KEY_SHAPES);
        for shape in all {
            exact
                .entry(shape.text(p, n))
                .or_insert_with(|| format!("{} of {}", shape.name(), p.e164));
        }
    }
    let ascii: BTreeMap<String, String> = exact
        .iter()
        .map(|(k, v)| (ascii_digits(k), v.clone()))
        .collect();
    let forms = |m: BTreeMap<String, String>| {
        m.into_iter()
            .map(|(needle, what)| Form { needle, what })
            .collect()
    };
    Leaks {
        exact: forms(exact),
        ascii: forms(ascii),
        joined: forms(joined),
    }
}

/// Characters people put between digits (and `+`; `_` is what a
/// column name makes of them).
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-' | '_' | '.' | '(' | ')' | '+' | '/' | '\u{00A0}' | '\u{2009}' | '\u{202F}'
    )
}

/// `s` around byte `at`, for a message.
fn around(s: &str, at: usize, len: usize) -> String {
    let mut from = at.saturating_sub(50);
    while !s.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (at + len + 50).min(s.len());
    while !s.is_char_boundary(to) {
        to += 1;
    }
    s[from..to].to_string()
}

/// The first raw form of a planted number found in `content`, described.
fn leak_in_text(content: &str, l: &Leaks) -> Option<String> {
    for f in &l.exact {
        if let Some(at) = content.find(&f.needle) {
            return Some(format!(
                "{} {:?}: …{}…",
                f.what,
                f.needle,
                around(content, at, f.needle.len())
            ));
        }
    }
    let ascii = ascii_digits(content);
    for f in &l.ascii {
        if let Some(at) = ascii.find(&f.needle) {
            return Some(format!(
                "{} {:?} (digits of another script): …{}…",
                f.what,
                f.needle,
                around(&ascii, at, f.needle.len())
            ));
        }
    }
    let joined: String = ascii.chars().filter(|c| !is_separator(*c)).collect();
    for f in &l.joined {
        if let Some(at) = joined.find(&f.needle) {
            return Some(format!(
                "{} {:?} (written with other separators): …{}…",
                f.what,
                f.needle,
                around(&joined, at, f.needle.len())
            ));
        }
    }
    None
}

/// The first raw form found in the bytes of a file (compressed or not).
fn leak_in_bytes(bytes: &[u8], l: &Leaks) -> Option<String> {
    l.exact.iter().find_map(|f| {
        let needle = f.needle.as_bytes();
        bytes
            .windows(needle.len())
            .any(|w| w == needle)
            .then(|| format!("{} {:?} in the bytes", f.what, f.needle))
    })
}

// ---------------------------------------------------------------------
// Key and expected values
// ---------------------------------------------------------------------

/// What `cell` must come out as, given the hashes of the two numbers.
fn want(cell: &Cell, hashes: &[String; 2]) -> String {
    match (cell.kind, cell.number) {
        (Kind::Plain, _) | (_, None) => cell_text(&cell.raw),
        (Kind::Phone | Kind::Key, Some(n)) => hashes[n].clone(),
        (Kind::FreeText, Some(n)) => cell_text(&cell.raw).replace(
            cell.inner.as_deref().unwrap(),
            &format!("[phone:{}]", &hashes[n][..16]),
        ),
    }
}

/// The `[phone:…]` tokens of a text.
fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(at) = rest.find("[phone:") {
        rest = &rest[at + 7..];
        let end = rest.find(']').unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

// ---------------------------------------------------------------------
// Failures
// ---------------------------------------------------------------------

/// One wrong thing: its category (the same across markets) and an example.
struct Failure {
    market: &'static str,
    category: String,
    example: String,
}

/// Digit runs of 6 or more become `#` (raw numbers in a category, e.g. a
/// column named after one, would split it per market).
fn generic(s: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for c in s.chars().chain(std::iter::once('\0')) {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        if run.len() >= 6 {
            out.push('#');
        } else {
            out.push_str(&run);
        }
        run.clear();
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

struct Failures {
    market: &'static str,
    list: Vec<Failure>,
}

impl Failures {
    fn add(&mut self, category: impl AsRef<str>, example: impl Into<String>) {
        self.list.push(Failure {
            market: self.market,
            category: generic(category.as_ref()),
            example: example.into(),
        });
    }
}

/// Panics with every category of failure: how many, in which markets, and
/// the first example.
fn assert_none(what: &str, failures: &[Failure]) {
    let mut by: BTreeMap<&str, (usize, BTreeSet<&str>, &str)> = BTreeMap::new();
    for f in failures {
        let e = by
            .entry(&f.category)
            .or_insert((0, BTreeSet::new(), &f.example));
        e.0 += 1;
        e.1.insert(f.market);
    }
    let mut shown = String::new();
    for (category, (n, markets, example)) in &by {
        let example: String = example.chars().take(400).collect();
        shown.push_str(&format!(
            "\n- {category}: {n}× in {} market(s) {:?}\n    e.g. {example}",
            markets.len(),
            markets
        ));
    }
    assert!(
        failures.is_empty(),
        "{what}: {} failures in {} categories:{shown}",
        failures.len(),
        by.len()
    );
}

// ---------------------------------------------------------------------
// Driving the binary
// ---------------------------------------------------------------------

struct Run {
    _dir: tempfile::TempDir,
    root: PathBuf,
    db: PathBuf,
    key: PathBuf,
}

impl Run {
    fn new() -> Run {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("home")).unwrap();
        Run {
            db: root.join("h.duckdb"),
            key: root.join("pii.key"),
            root,
            _dir: dir,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// A command with HOME and the XDG folders inside the temp folder and
    /// no PII environment.
    fn cmd(&self) -> assert_cmd::Command {
        isolated(&self.root)
    }

    /// Runs `c`; Err with the exit code and stderr when it fails.
    fn run(c: &mut assert_cmd::Command) -> Result<Vec<u8>, String> {
        let o = c.output().map_err(|e| e.to_string())?;
        if o.status.success() {
            Ok(o.stdout)
        } else {
            Err(format!(
                "exit {:?}: {}",
                o.status.code(),
                String::from_utf8_lossy(&o.stderr).trim()
            ))
        }
    }

    fn query(&self, sql: &str) -> Result<Vec<Value>, String> {
        let out = Run::run(
            self.cmd()
                .args(["query", "--format", "json", "--db"])
                .arg(&self.db)
                .arg(sql),
        )
        .map_err(|e| format!("{sql}: {e}"))?;
        match serde_json::from_slice(&out) {
            Ok(Value::Array(rows)) => Ok(rows),
            other => Err(format!("{sql}: not a JSON array: {other:?}")),
        }
    }
}

/// The dropped-in report: every column of `uf_events`, with a chart whose
/// x axis is the raw `customer_number`.
fn write_report(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join(format!("{REPORT}.sql")),
        "-- title: Ratings per customer number\n\
         -- chart: bars\n\
         -- x: customer_number\n\
         -- y: rating\n\
         SELECT * FROM uf_events ORDER BY event_id;\n",
    )
    .unwrap();
}

/// Every file and folder under `dir`.
fn walk(dir: &Path) -> Vec<(PathBuf, bool)> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| (e.path().to_path_buf(), e.file_type().is_file()))
        .collect()
}

/// A report CSV as rows (JSON objects of text; empty cells are null).
fn csv_rows(path: &Path) -> Result<Vec<Value>, String> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.map_err(|e| e.to_string())?;
            Ok(Value::Object(
                header
                    .iter()
                    .cloned()
                    .zip(
                        r.iter()
                            .map(|v| if v.is_empty() { Value::Null } else { json!(v) }),
                    )
                    .collect(),
            ))
        })
        .collect()
}

type Rows = BTreeMap<String, BTreeMap<String, Vec<Value>>>;

/// Rows of each table by event id.
fn by_event(tables: &BTreeMap<String, Vec<Value>>) -> Rows {
    tables
        .iter()
        .map(|(t, rows)| {
            let mut m: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for r in rows {
                let id = r["event_id"].as_str().unwrap_or_default().to_string();
                m.entry(id).or_default().push(r.clone());
            }
            (t.clone(), m)
        })
        .collect()
}

/// Checks the planted cells of `tables` against the expected values;
/// collects, per number, the protected values met in its cells.
fn check_cells(
    f: &mut Failures,
    place: &str,
    cells: &[Cell],
    tables: &Rows,
    hashes: &[String; 2],
    seen: &mut BTreeMap<(usize, bool), BTreeSet<String>>,
) {
    for cell in cells {
        let Some(rows) = tables.get(cell.table) else {
            f.add(
                format!("{place}: no table {}", cell.table),
                format!("{} not found", cell.table),
            );
            continue;
        };
        let rows = rows.get(&cell.event_id).map(Vec::as_slice).unwrap_or(&[]);
        if rows.len() != 1 {
            f.add(
                format!("{place}: not one row per event in {}", cell.table),
                format!(
                    "{} has {} rows for {}",
                    cell.table,
                    rows.len(),
                    cell.event_id
                ),
            );
            continue;
        }
        let got = rows[0].get(cell.column);
        let want = want(cell, hashes);
        let got_text = got.filter(|v| !v.is_null()).map(cell_text);
        if let (Some(n), Some(g)) = (cell.number, &got_text) {
            match cell.kind {
                Kind::FreeText => seen.entry((n, true)).or_default().extend(tokens(g)),
                _ => {
                    seen.entry((n, false)).or_default().insert(g.clone());
                }
            }
        }
        let alt = cell
            .alt
            .iter()
            .flat_map(|a| [a.clone(), a.replace('T', " ")]);
        let ok = got_text
            .as_ref()
            .is_some_and(|g| *g == want || alt.clone().any(|a| a == *g));
        if !ok {
            let verdict = match (&got_text, cell.kind) {
                (None, _) => "missing or null",
                (Some(g), _) if g == &cell_text(&cell.raw) => "unchanged (raw)",
                (Some(_), Kind::Plain) => "changed",
                _ => "wrong value",
            };
            f.add(
                format!("{place} {}: {verdict}", cell.label()),
                format!(
                    "{} planted {}: got {:?}, want {want:?}",
                    cell.event_id,
                    cell.raw,
                    got.cloned().unwrap_or(Value::Null)
                ),
            );
        }
    }
}

/// Ingests, exports and reports one market and checks everything.
fn check_market(mi: usize) -> Vec<Failure> {
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

/// Checks the markets (indexes into [`MARKETS`]), two at a time.
fn check_markets(names: &[&str]) {
    let indexes: Vec<usize> = names
        .iter()
        .map(|n| MARKETS.iter().position(|m| m.name == *n).unwrap())
        .collect();
    let failures: Vec<Failure> = std::thread::scope(|s| {
        let handles: Vec<_> = indexes
            .chunks(indexes.len().div_ceil(2))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .flat_map(|&i| check_market(i))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert_none(&names.join(", "), &failures);
}

// ---------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------

#[test]
fn hmac_helper_matches_rfc_4231() {
    // test case 2: key "Jefe", data "what do ya want for nothing?"
    assert_eq!(
        hmac_hex(b"Jefe", "what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn planted_numbers_and_times_are_consistent() {
    // guards the hand-written data the other tests rely on
    let mut all = BTreeSet::new();
    for (mi, m) in MARKETS.iter().enumerate() {
        for p in &m.phones {
            assert!(p.e164.starts_with(m.code), "{}", p.e164);
            assert!((11..=15).contains(&p.e164.len()), "{}", p.e164);
            assert!(all.insert(p.e164), "{} planted twice", p.e164);
            assert_eq!(digits(p.intl), p.e164, "{}", p.intl);
            assert!(p.intl.starts_with(&format!("+{} ", m.code)), "{}", p.intl);
            let national = digits(p.national);
            let nsn = p.nsn(m);
            assert!(
                national == format!("{}{nsn}", m.trunk) || (m.code == "1" && national == nsn),
                "{}: national {} is not the trunk and {nsn}",
                m.name,
                p.national
            );
        }
        let (lines, cells) = market_events(mi);
        assert_eq!(lines.len(), EVENTS);
        // every shape in every phone column, for both numbers
        for column in ["customer_number", "contact__msisdn", "ref"] {
            for n in 0..2 {
                let shapes: Vec<Shape> = cells
                    .iter()
                    .filter(|c| c.column == column && c.number == Some(n))
                    .filter_map(|c| c.shape)
                    .collect();
                for s in SHAPES {
                    assert!(shapes.contains(&s), "{column} lacks {s:?} of number {n}");
                }
            }
        }
        // non-ASCII digits really are planted
        for s in Script::ALL {
            let planted = Shape::Script(s).text(&m.phones[0], 0);
            assert!(!planted.chars().any(|c| c.is_ascii_digit()), "{planted}");
            assert_eq!(ascii_digits(&planted), m.phones[0].intl);
        }
        // the times, ids and other text hold no raw form of a number, and
        // the created_at lies in 2025-2026
        let l = leaks(m);
        for (i, line) in lines.iter().enumerate() {
            let event: Value = serde_json::from_str(line).unwrap();
            let created: u64 = event["created_at"].as_str().unwrap().parse().unwrap();
            assert!(
                (1_735_689_600..1_798_761_600).contains(&created),
                "{created}"
            );
            for v in [
                event["event_id"].clone(),
                event["created_at"].clone(),
                event["uf_payload"]["note"].clone(),
                event["uf_payload"]["visited_at"].clone(),
                event["uf_payload"]["visited_ms_time"].clone(),
                json!("please call me on  after 6pm"),
            ] {
                assert!(
                    leak_in_text(&cell_text(&v), &l).is_none(),
                    "event {i}: {v} looks like a planted number"
                );
            }
        }
    }
    assert_eq!(all.len(), 26);
    // the leak check sees every shape, also in other scripts and formats
    let l = leaks(&MARKETS[1]);
    for s in [
        "x 971501234567 y",
        "+٩٧١ ٥٠ ١٢٣ ٤٥٦٧",
        "call ۰۵۰ ۱۲۳ ۴۵۶۷",
        "(050) 123-4567",
        "+971.50.123.4567",
        "f_050_123_4567",
    ] {
        assert!(leak_in_text(s, &l).is_some(), "{s} not seen as a leak");
    }
    assert_eq!(
        generic("uf_events.call_log__971501234567"),
        "uf_events.call_log__#"
    );
    assert_eq!(tokens("a [phone:0123] b [phone:abcd]"), ["0123", "abcd"]);
    assert_eq!(utc(START), "2025-06-01T00:00:00");
    assert_eq!(utc(1_753_945_760), "2025-07-31T07:09:20");
    assert_eq!(utc(1_772_323_199), "2026-02-28T23:59:59");
}

#[test]
fn gulf_and_middle_east_numbers_never_leave_raw() {
    check_markets(&["UAE", "Saudi Arabia", "Israel", "Jordan", "Iran"]);
}

#[test]
fn african_numbers_never_leave_raw() {
    check_markets(&["Nigeria", "Egypt", "Kenya"]);
}

#[test]
fn south_asian_indonesian_us_and_uk_numbers_never_leave_raw() {
    check_markets(&["India", "Pakistan", "Indonesia", "US", "UK"]);
}
