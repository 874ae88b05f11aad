//! The planted events of a market: every number in every shape, under
//! phone-ish and neutral names, as `call_log` keys and in free text, with
//! real times; each planted value recorded as a cell.

use serde_json::{json, Value};

use crate::markets::{Market, MARKETS};
use crate::shapes::{Shape, KEY_SHAPES, SHAPES, TEXT_SHAPES};
use crate::{DAY, START};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
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
pub struct Cell {
    pub table: &'static str,
    pub event_id: String,
    pub column: &'static str,
    pub raw: Value,
    /// Which of the market's two numbers it holds.
    pub number: Option<usize>,
    pub shape: Option<Shape>,
    /// For free text: the number's text inside it.
    pub inner: Option<String>,
    /// Another acceptable value: for epoch seconds in a `*_at` column,
    /// the same instant as the TIMESTAMP the loader makes of it.
    pub alt: Option<String>,
    pub kind: Kind,
}

impl Cell {
    pub fn label(&self) -> String {
        match self.shape {
            Some(s) => format!("{}.{} [{}]", self.table, self.column, s.name()),
            None => format!("{}.{}", self.table, self.column),
        }
    }
}

/// Events per market: each number in each of the 10 shapes.
pub const EVENTS: usize = 2 * SHAPES.len();

fn created_at(market: usize, i: usize) -> u64 {
    START + market as u64 * 23 * DAY + i as u64 * 7_919
}

/// The market's events (NDJSON lines) and the cells planted in them.
pub fn market_events(mi: usize) -> (Vec<String>, Vec<Cell>) {
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
pub fn utc(secs: u64) -> String {
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
pub fn slug(m: &Market) -> String {
    m.name
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase()
}
