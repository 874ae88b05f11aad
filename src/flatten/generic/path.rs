//! JSON paths of flattened values: segments and their JSONPath text.

use serde_json::Value;

/// One path segment: an object key, "every element of an array", "every
/// data-keyed member of an object", or "the key of that member".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// An object key.
    Key(String),
    /// The elements of an array (`[*]`).
    Elements,
    /// The members of an object whose keys are data (`.*`).
    Members,
    /// The key of each such member (`~`, JSONPath-Plus's property name):
    /// only the last segment of a member row's `key` cell.
    MemberKey,
}

impl Segment {
    /// True for the segments whose values are rows of a child table.
    pub fn is_rows(&self) -> bool {
        matches!(self, Segment::Elements | Segment::Members)
    }
}

/// Renders a path as a JSONPath string, e.g. `$.uf_payload.choices[*].label`,
/// `$.uf_payload.call_log.*~` or `$["odd key"]`: unambiguous (a key `*` or
/// `~` is bracketed), and the key of a column in the registry.
pub fn json_path(path: &[Segment]) -> String {
    let mut out = String::from("$");
    for seg in path {
        match seg {
            Segment::Elements => out.push_str("[*]"),
            Segment::Members => out.push_str(".*"),
            Segment::MemberKey => out.push('~'),
            Segment::Key(k) => push_key(&mut out, k),
        }
    }
    out
}

/// Appends one object key to a JSONPath: `.key`, or `["odd key"]`.
pub(crate) fn push_key(out: &mut String, k: &str) {
    if is_plain_key(k) {
        out.push('.');
        out.push_str(k);
    } else {
        out.push('[');
        out.push_str(&Value::String(k.to_string()).to_string());
        out.push(']');
    }
}

fn is_plain_key(k: &str) -> bool {
    let mut chars = k.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
