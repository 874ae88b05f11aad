//! The parts of an event that went over a budget: their concrete JSON
//! paths and JSON text, and the `_overflow` object that holds them.

use serde_json::Value;

use crate::flatten::generic::{push_key, Leaf, OverflowPart, Segment};

/// The concrete path of a cell at `path` in the row with key `row_key`
/// and member keys `members`: each `[*]` becomes the row's element index
/// and each `.*` its member's key (`$.a[*].b` in row `2` is `$.a[2].b`,
/// `$.log.*` in the member row of `"919876543210"` is
/// `$.log["919876543210"]`).
pub fn concrete_path(path: &[Segment], row_key: &str, members: &[String]) -> String {
    let mut positions = row_key.split('.').filter(|k| !k.is_empty());
    let mut members = members.iter();
    let mut out = String::from("$");
    for seg in path {
        match seg {
            Segment::Key(k) => push_key(&mut out, k),
            Segment::Elements => match positions.next() {
                Some(i) => {
                    out.push('[');
                    out.push_str(i);
                    out.push(']');
                }
                None => out.push_str("[*]"),
            },
            Segment::Members => {
                positions.next();
                match members.next() {
                    Some(k) => push_key(&mut out, k),
                    None => out.push_str(".*"),
                }
            }
            Segment::MemberKey => out.push('~'),
        }
    }
    out
}

/// A leaf as JSON text.
pub fn leaf_json(leaf: &Leaf) -> String {
    match leaf {
        Leaf::Bool(b) => b.to_string(),
        Leaf::Int(i) => i.to_string(),
        Leaf::Float(f) => serde_json::Number::from_f64(*f).map_or("null".into(), |n| n.to_string()),
        Leaf::Text(s) => Value::String(s.clone()).to_string(),
    }
}

/// The `_overflow` value: one JSON object, path -> part, in event order.
pub fn overflow_json<'p>(parts: impl Iterator<Item = &'p OverflowPart>) -> String {
    let mut out = String::from("{");
    for (i, (path, json)) in parts.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Value::String(path.clone()).to_string());
        out.push(':');
        out.push_str(json);
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concrete_paths_take_the_row_indexes_and_member_keys() {
        let k = |s: &str| Segment::Key(s.into());
        let (e, m) = (Segment::Elements, Segment::Members);
        assert_eq!(
            concrete_path(&[k("a"), e.clone(), k("b")], "2", &[]),
            "$.a[2].b"
        );
        assert_eq!(
            concrete_path(&[k("m"), e.clone(), e.clone()], "1.0", &[]),
            "$.m[1][0]"
        );
        assert_eq!(concrete_path(&[k("x")], "", &[]), "$.x");
        // a key that looks like a path is still one key
        assert_eq!(
            concrete_path(&[k("[*]"), e.clone()], "3", &[]),
            "$[\"[*]\"][3]"
        );
        let phone = ["919876543210".to_string()];
        assert_eq!(
            concrete_path(&[k("log"), m.clone()], "4", &phone),
            "$.log[\"919876543210\"]"
        );
        assert_eq!(
            concrete_path(&[k("log"), m.clone(), Segment::MemberKey], "4", &phone),
            "$.log[\"919876543210\"]~"
        );
        let two = ["2026-11-25".to_string(), "20261126".to_string()];
        assert_eq!(
            concrete_path(&[k("a"), e, k("d"), m.clone(), m, k("n")], "0.1.2", &two),
            "$.a[0].d[\"2026-11-25\"][\"20261126\"].n"
        );
    }

    #[test]
    fn overflow_is_one_json_object() {
        let parts = [
            ("$.a".to_string(), "1".to_string()),
            ("$[\"q\\\"\"]".to_string(), "[2]".to_string()),
        ];
        let v: Value = serde_json::from_str(&overflow_json(parts.iter())).unwrap();
        assert_eq!(v, serde_json::json!({"$.a": 1, "$[\"q\\\"\"]": [2]}));
    }
}
