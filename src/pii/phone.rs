//! What a phone number looks like, and its one normal form.
//!
//! A candidate is digits with optional separators (spaces, `-`, `.`,
//! parentheses) and an optional leading `+` or `00`: 10 to 15 digits. The
//! normal form is the digits of the international number without `+`:
//! - `+CC…` or `00CC…`: the digits after the prefix;
//! - 11 to 15 bare digits: taken as already international (`919876543210`);
//! - 10 bare digits: a national number, prefixed with the default country
//!   code (`9876543210` -> `919876543210` with code 91);
//! - `0` followed by 10 digits: the trunk `0` is dropped, then as above.
//!
//! An unformatted run of digits whose value is an epoch time (seconds or
//! milliseconds) between 2000 and 2100 is a timestamp, not a phone number.

/// Fewest digits of a phone number.
pub const MIN_DIGITS: usize = 10;
/// Most digits of a phone number (E.164).
pub const MAX_DIGITS: usize = 15;

const EPOCH_2000: u64 = 946_684_800;
const EPOCH_2100: u64 = 4_102_444_800;

fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'.' | b'(' | b')')
}

/// True for a digit run that is an epoch time in seconds or milliseconds.
fn is_epoch(digits: &str) -> bool {
    let Ok(v) = digits.parse::<u64>() else {
        return false;
    };
    (EPOCH_2000..EPOCH_2100).contains(&v) || (EPOCH_2000 * 1000..EPOCH_2100 * 1000).contains(&v)
}

/// The normal form of `text` when the whole of it (trimmed) is a phone
/// number; `country_code` completes national numbers.
pub fn normalize(text: &str, country_code: &str) -> Option<String> {
    let t = text.trim().as_bytes();
    let (international, body) = if let Some(rest) = t.strip_prefix(b"+") {
        (true, rest)
    } else if let Some(rest) = t.strip_prefix(b"00") {
        (true, rest)
    } else {
        (false, t)
    };
    let mut digits = String::with_capacity(body.len());
    let mut formatted = false;
    for &b in body {
        if b.is_ascii_digit() {
            digits.push(b as char);
        } else if is_separator(b) {
            formatted = true;
        } else {
            return None;
        }
    }
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) {
        return None;
    }
    if international {
        return Some(digits);
    }
    if !formatted && is_epoch(&digits) {
        return None;
    }
    Some(match digits.len() {
        10 => format!("{country_code}{digits}"),
        11 if digits.starts_with('0') => format!("{country_code}{}", &digits[1..]),
        _ => digits,
    })
}

/// True when the whole of `text` is a phone number.
pub fn is_phone(text: &str) -> bool {
    normalize(text, "").is_some()
}

/// True when the whole of `text` is a UUID (8-4-4-4-12 hex digits).
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36 && uuid_at(text.as_bytes(), 0)
}

/// True when a UUID (8-4-4-4-12 hex digits) starts at `i` and ends a
/// token: an identifier, whose digit groups are never phone numbers.
fn uuid_at(b: &[u8], i: usize) -> bool {
    const LEN: usize = 36;
    let Some(id) = b.get(i..i + LEN) else {
        return false;
    };
    // the hyphens first: most text is no UUID and fails on them
    [8, 13, 18, 23].iter().all(|&k| id[k] == b'-')
        && [0..8, 9..13, 14..18, 19..23, 24..36]
            .into_iter()
            .all(|group| id[group].iter().all(u8::is_ascii_hexdigit))
        && !b
            .get(i + LEN)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// Byte ranges of the phone numbers inside free text: runs of digits and
/// separators (with an optional `+` in front) that hold 10 to 15 digits
/// and are not part of a longer word or number, nor of a UUID.
pub fn find_in_text(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts =
            b[i].is_ascii_digit() || (b[i] == b'+' && b.get(i + 1).is_some_and(u8::is_ascii_digit));
        let glued = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if !glued && b[i].is_ascii_hexdigit() && uuid_at(b, i) {
            i += 36;
            continue;
        }
        if !starts || glued {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        let mut last_digit = if b[i].is_ascii_digit() { i + 1 } else { i };
        let mut digits = usize::from(b[i].is_ascii_digit());
        while end < b.len() {
            let c = b[end];
            if c.is_ascii_digit() {
                digits += 1;
                last_digit = end + 1;
            } else if !(c == b' ' || c == b'-' || c == b'.' || c == b'(' || c == b')') {
                break;
            } else if c == b' ' && b.get(end + 1) == Some(&b' ') {
                break; // two spaces end a number
            }
            end += 1;
            if digits > MAX_DIGITS {
                break;
            }
        }
        let glued_after = b
            .get(last_digit)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_');
        let span = &text[start..last_digit];
        if (MIN_DIGITS..=MAX_DIGITS).contains(&digits)
            && !glued_after
            && normalize(span, "").is_some()
        {
            found.push(start..last_digit);
        }
        i = last_digit.max(i + 1);
        // skip the rest of an over-long number
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_one_normal_form() {
        for text in [
            "+91 98765 43210",
            "0091-98765-43210",
            "919876543210",
            "9876543210",
            "09876543210",
            "+91 (98765) 43210",
            " 91.98765.43210 ",
        ] {
            assert_eq!(
                normalize(text, "91").as_deref(),
                Some("919876543210"),
                "{text}"
            );
        }
    }

    #[test]
    fn not_phone_numbers() {
        for text in [
            "N/A",
            "",
            "12345",
            "1753945760",
            "1753945760123",
            "98765x43210",
            "+1234567890123456",
        ] {
            assert_eq!(normalize(text, "91"), None, "{text}");
        }
        // a formatted epoch-like number is a phone number
        assert!(is_phone("175 394 5760"));
    }

    #[test]
    fn numbers_are_found_inside_text() {
        let text = "please call me on +91 98765 43210 after 6pm, or 0091-98765-43211. id a9876543210 ts 1753945760";
        let found: Vec<_> = find_in_text(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["+91 98765 43210", "0091-98765-43211"]);
    }

    #[test]
    fn uuids_are_identifiers_not_numbers() {
        // the last group of a UUID can be 12 decimal digits (about 1 in 280)
        let text = "7ab603cd-a4c4-4904-85b2-919876543210 12345678-1234-1234-1234-123456789012 +91 98765 43210";
        let found: Vec<_> = find_in_text(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["+91 98765 43210"]);
        // not a UUID: a group too long, or glued to a word
        for text in [
            "7ab603cd-a4c4-4904-85b2-9198765432100",
            "x7ab603cd-a4c4-4904-85b2-919876543210",
        ] {
            assert_eq!(find_in_text(text).len(), 1, "{text}");
            assert!(!is_uuid(text), "{text}");
        }
        assert!(is_uuid("7ab603cd-a4c4-4904-85b2-919876543210"));
        assert!(!is_uuid("7ab603cd-a4c4-4904-85b2-91987654321"));
        assert!(!is_uuid("7ab603cd a4c4-4904-85b2-919876543210"));
    }
}
