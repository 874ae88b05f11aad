//! Deterministic SQL names for JSON paths.
//!
//! Rules (documented in the README):
//! - each key is lower-cased; characters other than `a-z`, `0-9` and `_`
//!   become `_`; runs of `_` collapse to one; leading and trailing `_` are
//!   dropped; an empty result is `field`; a leading digit gets `f_` in front;
//! - nested keys join with `__`; array elements of arrays add `items`;
//! - a key that is data ([`is_data_key`]: a phone number, a date, a UUID)
//!   never becomes a name: its member is a row of a child table, like an
//!   array element;
//! - names longer than 63 bytes keep 54 bytes plus `_` and 8 hex digits of
//!   a hash of the full path;
//! - a name already taken in the same table (compared case-insensitively,
//!   as DuckDB does) gets `_2`, `_3`, … in order of first appearance; the
//!   choice is stored, so a path keeps its name in every later run.

use std::collections::{HashMap, HashSet};

use super::generic::Segment;

/// Longest identifier hookstat creates.
pub const MAX_IDENT: usize = 63;

/// Digits from which a key is data, whatever surrounds them: a phone
/// number (national or with its country code) or a date has at least six.
const DATA_KEY_DIGITS: usize = 6;

/// True when an object key is data, not a field name: it holds 6 or more
/// decimal digits (of any script: `९१९८७६५४३२१०` counts as 12), as phone
/// numbers, dates and ids do, or it is a UUID. Such a key is never a path
/// segment, so never part of a column name: the members it keys become
/// rows of a child table with a `key` cell (see [`super::generic`]).
pub fn is_data_key(key: &str) -> bool {
    crate::pii::digits::count(key) >= DATA_KEY_DIGITS || crate::pii::phone::is_uuid(key)
}

/// One JSON key as an identifier part.
pub fn sanitize(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_alphanumeric() { c } else { '_' };
        if c == '_' && (out.is_empty() || out.ends_with('_')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("field");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "f_");
    }
    out
}

/// Shortens `name` to [`MAX_IDENT`] bytes, keeping it unique per `full_path`.
pub fn fit(name: String, full_path: &str) -> String {
    if name.len() <= MAX_IDENT {
        return name;
    }
    let hash = xxhash_rust::xxh3::xxh3_64(full_path.as_bytes()) as u32;
    let mut cut = MAX_IDENT - 9;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{hash:08x}", &name[..cut])
}

/// Column name for the keys of a leaf below its row.
pub fn column_name(keys: &[String], full_path: &str) -> String {
    let joined = keys
        .iter()
        .map(|k| sanitize(k))
        .collect::<Vec<_>>()
        .join("__");
    fit(
        if joined.is_empty() {
            "value".into()
        } else {
            joined
        },
        full_path,
    )
}

/// Table-name suffix for an array path or the path of an object's
/// data-keyed members (without the payload root key): both name the
/// table the same way.
pub fn table_suffix(path: &[Segment], root_key: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut after_key = false;
    for (i, seg) in path.iter().enumerate() {
        match seg {
            Segment::Key(k) if i == 0 && k == root_key => after_key = false,
            Segment::Key(k) => {
                parts.push(sanitize(k));
                after_key = true;
            }
            Segment::Elements | Segment::Members => {
                if !after_key {
                    parts.push("items".into());
                }
                after_key = false;
            }
            // ends a `key` cell's path, never a table's
            Segment::MemberKey => {}
        }
    }
    parts.join("__")
}

/// The names taken in one scope (a table's columns, or all tables).
#[derive(Debug, Default, Clone)]
pub struct Names {
    taken: HashSet<String>,
    /// Next suffix to try per wanted name, so the n-th collision of one
    /// name costs constant time, not n tries.
    next_suffix: HashMap<String, u64>,
}

impl Names {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Names {
            taken: reserved.into_iter().map(str::to_lowercase).collect(),
            next_suffix: HashMap::new(),
        }
    }

    /// Marks an existing name as taken.
    pub fn take(&mut self, name: &str) {
        self.taken.insert(name.to_lowercase());
    }

    /// `wanted`, or `wanted_2`, `wanted_3`, … whichever is free; taken now.
    pub fn claim(&mut self, wanted: &str, full_path: &str) -> String {
        let mut candidate = wanted.to_string();
        let key = wanted.to_lowercase();
        if self.taken.contains(&key) {
            let n = self.next_suffix.entry(key.clone()).or_insert(2);
            loop {
                candidate = fit(format!("{wanted}_{n}"), &format!("{full_path}#{n}"));
                *n += 1;
                if !self.taken.contains(&candidate.to_lowercase()) {
                    break;
                }
            }
        }
        self.taken.insert(candidate.to_lowercase());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sanitizing_keys() {
        assert_eq!(sanitize("answer"), "answer");
        assert_eq!(sanitize("Answer Text"), "answer_text");
        assert_eq!(sanitize("a__b"), "a_b");
        assert_eq!(sanitize("  "), "field");
        assert_eq!(sanitize(""), "field");
        assert_eq!(sanitize("2nd"), "f_2nd");
        assert_eq!(sanitize("it's \"quoted\""), "it_s_quoted");
        assert_eq!(sanitize("कॉल"), "field");
        assert_eq!(sanitize("_private_"), "private");
    }

    #[test]
    fn collisions_get_numbered_suffixes() {
        let mut names = Names::with_reserved(["event_id"]);
        assert_eq!(names.claim("a__b", "$.a.b"), "a__b");
        assert_eq!(names.claim("a__b", "$[\"a__b\"]"), "a__b_2");
        assert_eq!(names.claim("A__B", "$.A.B"), "A__B_3");
        assert_eq!(names.claim("event_id", "$.event_id"), "event_id_2");
    }

    #[test]
    fn long_names_are_cut_with_a_hash() {
        let long = "x".repeat(100);
        let a = column_name(std::slice::from_ref(&long), "$.a");
        let b = column_name(&[long], "$.b");
        assert_eq!(a.len(), MAX_IDENT);
        assert_ne!(a, b);
    }

    #[test]
    fn table_suffixes() {
        let k = |s: &str| Segment::Key(s.into());
        let e = Segment::Elements;
        assert_eq!(
            table_suffix(&[k("uf_payload"), k("choices"), e.clone()], "uf_payload"),
            "choices"
        );
        assert_eq!(
            table_suffix(
                &[k("uf_payload"), k("m"), e.clone(), e.clone()],
                "uf_payload"
            ),
            "m__items"
        );
        assert_eq!(table_suffix(&[k("tags"), e.clone()], "uf_payload"), "tags");
        assert_eq!(table_suffix(&[k("uf_payload"), e], "uf_payload"), "items");
        let m = Segment::Members;
        assert_eq!(
            table_suffix(&[k("uf_payload"), k("call_log"), m.clone()], "uf_payload"),
            "call_log"
        );
        assert_eq!(
            table_suffix(
                &[k("uf_payload"), k("log"), m.clone(), m.clone()],
                "uf_payload"
            ),
            "log__items"
        );
        assert_eq!(table_suffix(&[k("uf_payload"), m], "uf_payload"), "items");
    }

    #[test]
    fn keys_that_are_data() {
        for key in [
            "919876543210",
            "9876543210",
            "+91 98765 43210",
            "+91-98765-43210",
            "(987) 654-3210",
            "९१९८७६५४३२१०",
            "٩٧١٥٠١٢٣٤٥٦٧",
            "2026-11-25",
            "20261125",
            "123456",
            "user_123456",
            "7ab603cd-a4c4-4904-85b2-919876543210",
            "7AB603CD-A4C4-4904-85B2-F19A76E4D21C",
            "7ab603cd-a4c4-4904-85b2-fedcbafedcba",
        ] {
            assert!(is_data_key(key), "{key:?} is data");
        }
        for key in [
            "answer",
            "q1",
            "slot_2",
            "v12345",
            "",
            "call_log",
            "2nd",
            "12345",
            "a1b2c3d4e",
            "कॉल",
            "x1-y2-z3",
        ] {
            assert!(!is_data_key(key), "{key:?} is a name");
        }
    }

    proptest! {
        #[test]
        fn names_are_valid_identifiers(key in ".{0,80}") {
            let name = column_name(&[key.clone(), key], "$.x");
            prop_assert!(name.len() <= MAX_IDENT);
            prop_assert!(name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
            prop_assert!(name.starts_with(|c: char| c.is_ascii_lowercase()));
        }
    }
}
