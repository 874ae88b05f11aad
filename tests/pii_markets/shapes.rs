//! Scripts and shapes: the digits of five other scripts, and the shapes a
//! number is planted in (bare, `+CC`, `00CC`, national, other scripts).

use serde_json::{json, Value};

use crate::common::pii::cell_text;
use crate::markets::Phone;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Script {
    Devanagari,
    ArabicIndic,
    Persian,
    Bengali,
    FullWidth,
}

impl Script {
    pub const ALL: [Script; 5] = [
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
pub fn ascii_digits(s: &str) -> String {
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
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
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

pub const SHAPES: [Shape; 10] = [
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
pub const TEXT_SHAPES: [Shape; 5] = [
    Shape::Plus,
    Shape::National,
    Shape::BareText,
    Shape::Script(Script::Devanagari),
    Shape::Script(Script::ArabicIndic),
];

/// Shapes of the numbers as `call_log` keys.
pub const KEY_SHAPES: [Shape; 3] = [Shape::BareText, Shape::Plus, Shape::National];

impl Shape {
    pub fn name(self) -> String {
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
    pub fn plant(self, p: &Phone, which: usize) -> Value {
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

    pub fn text(self, p: &Phone, which: usize) -> String {
        cell_text(&self.plant(p, which))
    }
}
