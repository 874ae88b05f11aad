//! The planted archive: the numbers in their seven formats, the cells
//! each event plants (table, row, column, raw value, number, kind) and the
//! two nights of events.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::common::cmb_event;
use crate::common::pii::cell_text;
use crate::{BASE, BUSINESS, CMB, DAY, FORMATS, PHONES, UF_PHONES};

/// Normal form of planted number `n`: country code 91 and the national part.
pub fn normal(n: usize) -> String {
    format!("91{}", PHONES[n])
}

/// `--pii mask` of planted number `n`: `*` for every digit but the last 4.
pub fn masked(n: usize) -> String {
    let d = normal(n);
    format!("{}{}", "*".repeat(d.len() - 4), &d[d.len() - 4..])
}

/// Format `f` of planted number `n`, as it appears in the JSON payload.
pub fn formatted(n: usize, f: usize) -> Value {
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
pub fn leak_forms() -> Vec<String> {
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
pub enum Kind {
    /// The whole value is a phone number (or a non-number in a phone column).
    Phone,
    /// Free text, possibly with a number inside.
    FreeText,
    /// Must come out exactly as planted.
    Plain,
}

/// One planted value: where it lands and what it holds.
#[derive(Debug, Clone)]
pub struct Cell {
    pub table: &'static str,
    pub event_id: String,
    /// `_index` of a child-table row.
    pub index: Option<i64>,
    pub column: &'static str,
    pub raw: Value,
    /// The planted number it holds (whole value, or inside the text).
    pub number: Option<usize>,
    /// For free text: the number's text inside it.
    pub inner: Option<String>,
    pub kind: Kind,
}

/// Phone columns by construction (name/path or content), per table.
pub const PHONE_COLUMNS: &[(&str, &str)] = &[
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
pub const PLAIN_COLUMNS: &[(&str, &str)] = &[
    ("uf_events", "visited_at_text"),
    ("uf_events", "visited_ms_text"),
    ("uf_events", "business_number"),
    ("uf_events__contacts", "name"),
    ("cmb_requests", "business_number"),
];
/// Tables with a protected column (phone or free text with numbers).
pub const AFFECTED_TABLES: &[&str] = &[
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
pub fn night1(cells: &mut Vec<Cell>) -> Vec<String> {
    let mut lines: Vec<String> = (0..300)
        .map(|i| uf_event(i, BASE + (i as u64 % 3) * DAY + i as u64, cells))
        .collect();
    lines.push(cmb("cmb-1", 0, cells));
    lines.push(cmb("cmb-2", 1, cells));
    lines
}

/// Night 2: the same numbers in 60 more events over 2 new days (08-03,
/// 08-04) and one Call Me Back event (08-03): 11 new partitions.
pub fn night2(cells: &mut Vec<Cell>) -> Vec<String> {
    let mut lines: Vec<String> = (300..360)
        .map(|i| uf_event(i, BASE + (3 + i as u64 % 2) * DAY + i as u64, cells))
        .collect();
    lines.push(cmb("cmb-3", 3, cells));
    lines
}
