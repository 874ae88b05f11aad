//! Every Unicode decimal digit is a digit: users type phone numbers in
//! Devanagari (`९१`), Arabic-Indic (`٩٧١`), Extended Arabic-Indic
//! (Persian `۹۸`), Bengali, full-width (`９１`) and other scripts. A
//! character of general category Nd has the value of its place in its
//! run of ten (Unicode keeps every Nd run contiguous, from 0 to 9).

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// The value (0-9) of a decimal digit of any script, None otherwise.
pub fn digit_value(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    // no decimal digit lies between ASCII and Arabic-Indic zero (U+0660)
    if (c as u32) < 0x660 || !is_decimal(c) {
        return None;
    }
    // count the run back to its zero: runs of ten follow each other
    // without gaps in a few blocks (mathematical digits), hence `% 10`
    let mut back = 0u32;
    let mut at = c as u32;
    while let Some(prev) = at.checked_sub(1).and_then(char::from_u32) {
        if !is_decimal(prev) {
            break;
        }
        back += 1;
        at -= 1;
    }
    Some((back % 10) as u8)
}

fn is_decimal(c: char) -> bool {
    c.general_category() == GeneralCategory::DecimalNumber
}

/// True for a decimal digit of any script.
pub fn is_digit(c: char) -> bool {
    digit_value(c).is_some()
}

/// True for a plus sign: `+` or the full-width `＋`.
pub fn is_plus(c: char) -> bool {
    matches!(c, '+' | '\u{FF0B}')
}

/// True for what people put between the digits of a phone number:
/// spaces (also no-break and thin ones), hyphens and dashes, dots,
/// parentheses, and the invisible direction marks of right-to-left text.
pub fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-'
            | '.'
            | '('
            | ')'
            | '\u{00A0}'
            | '\u{2007}'
            | '\u{2009}'
            | '\u{202F}'
            | '\u{2010}'..='\u{2015}'
            | '\u{2212}'
            | '\u{FF0D}'
            | '\u{FF08}'
            | '\u{FF09}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// The number of decimal digits (of any script) in `text`.
pub fn count(text: &str) -> usize {
    if text.is_ascii() {
        return text.bytes().filter(u8::is_ascii_digit).count();
    }
    text.chars().filter(|&c| is_digit(c)).count()
}

/// `text` with every decimal digit written as its ASCII digit, or None
/// when it holds none that is not ASCII already.
pub fn to_ascii(text: &str) -> Option<String> {
    if text.is_ascii() {
        return None;
    }
    let mut changed = false;
    let out: String = text
        .chars()
        .map(|c| match digit_value(c) {
            Some(v) if !c.is_ascii_digit() => {
                changed = true;
                char::from(b'0' + v)
            }
            _ => c,
        })
        .collect();
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_every_script_have_their_value() {
        // zero and nine of each script, from the Unicode code charts
        for (zero, name) in [
            ('\u{0030}', "ASCII"),
            ('\u{0660}', "Arabic-Indic"),
            ('\u{06F0}', "Extended Arabic-Indic"),
            ('\u{0966}', "Devanagari"),
            ('\u{09E6}', "Bengali"),
            ('\u{0AE6}', "Gujarati"),
            ('\u{0BE6}', "Tamil"),
            ('\u{0C66}', "Telugu"),
            ('\u{0D66}', "Malayalam"),
            ('\u{FF10}', "full-width"),
            ('\u{1D7CE}', "mathematical bold"),
            ('\u{1D7D8}', "mathematical double-struck"),
        ] {
            for v in 0..10u32 {
                let c = char::from_u32(zero as u32 + v).unwrap();
                assert_eq!(digit_value(c), Some(v as u8), "{name} {v}");
            }
        }
        for c in ['a', '+', '٫', '½', '²', 'Ⅻ', '\u{0965}'] {
            assert_eq!(digit_value(c), None, "{c:?}");
        }
    }

    #[test]
    fn text_in_other_scripts_reads_as_ascii() {
        assert_eq!(
            to_ascii("+९१ ९८७६५ ४३२१०").as_deref(),
            Some("+91 98765 43210")
        );
        assert_eq!(to_ascii("٩٧١٥٠١٢٣٤٥٦٧").as_deref(), Some("971501234567"));
        assert_eq!(to_ascii("۰۹۱۲۳۴۵۶۷۸۹").as_deref(), Some("09123456789"));
        assert_eq!(to_ascii("plain 123"), None);
        assert_eq!(count("call ९८७६५ 43210"), 10);
    }
}
