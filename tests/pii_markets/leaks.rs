//! Raw forms that must never be output: every shape of a market's numbers,
//! searched as planted, with other scripts' digits made ASCII, and without
//! separators; in text and in bytes.

use std::collections::BTreeMap;

use crate::markets::Market;
use crate::shapes::{ascii_digits, KEY_SHAPES, SHAPES, TEXT_SHAPES};

/// A form that must not appear, with what it is.
struct Form {
    needle: String,
    what: String,
}

/// Every raw form of the market's numbers.
pub struct Leaks {
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

pub fn leaks(m: &Market) -> Leaks {
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
pub fn leak_in_text(content: &str, l: &Leaks) -> Option<String> {
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
pub fn leak_in_bytes(bytes: &[u8], l: &Leaks) -> Option<String> {
    l.exact.iter().find_map(|f| {
        let needle = f.needle.as_bytes();
        bytes
            .windows(needle.len())
            .any(|w| w == needle)
            .then(|| format!("{} {:?} in the bytes", f.what, f.needle))
    })
}
