//! The parts of an event that went over a budget: their concrete JSON
//! paths and JSON text, and the `_overflow` object that holds them.

use serde_json::Value;

use crate::flatten::generic::{Leaf, OverflowPart};

/// The concrete path of a cell: its column path with each `[*]` replaced
/// by the row's element indexes (`$.a[*].b` in row `2` is `$.a[2].b`).
pub fn concrete_path(json_path: &str, row_key: &str) -> String {
    let mut indexes = row_key.split('.').filter(|k| !k.is_empty());
    let mut out = String::with_capacity(json_path.len() + 4);
    let mut rest = json_path;
    while let Some(at) = rest.find("[*]") {
        out.push_str(&rest[..at]);
        match indexes.next() {
            Some(i) => {
                out.push('[');
                out.push_str(i);
                out.push(']');
            }
            None => out.push_str("[*]"),
        }
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
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
    fn concrete_paths_take_the_row_indexes() {
        assert_eq!(concrete_path("$.a[*].b", "2"), "$.a[2].b");
        assert_eq!(concrete_path("$.m[*][*]", "1.0"), "$.m[1][0]");
        assert_eq!(concrete_path("$.x", ""), "$.x");
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
