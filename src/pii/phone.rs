//! What a phone number is, and its one normal form: the E.164 digits
//! without `+` (`971501234567`).
//!
//! A candidate is decimal digits of any script ([`super::digits`]) with
//! optional separators (spaces, dashes, dots, parentheses) and an
//! optional leading `+` or `00`. Then:
//! - `+CC…` or `00CC…` with 10 to 15 digits is an international number
//!   as written (a `(0)` after the calling code is dropped); with 8 or 9
//!   digits only when its country's plan says so;
//! - any other run (9 to 15 digits) is a phone number only when a
//!   numbering plan says so ([`super::plan`]): as a national number of
//!   the home country (with or without its trunk prefix), else, from 11
//!   digits, as an international number;
//! - a date (`2026-11-25`, `25.11.2026`) is not a phone number, and an
//!   unformatted run is a time, not a number, when the evidence says so:
//!   its value as epoch seconds or milliseconds lies within the [`Times`]
//!   given (around the event's own `created_at`). The range of a value
//!   alone never makes it a time.

use std::ops::Range;

use super::digits;
use super::plan::Plan;

/// Fewest digits of a phone number read without `+` or `00`.
pub const MIN_DIGITS: usize = 9;
/// Fewest digits after `+` or `00`.
pub const MIN_INTERNATIONAL: usize = 8;
/// Most digits of a phone number (E.164), a trunk prefix aside.
pub const MAX_DIGITS: usize = 15;

/// Evidence for times: epoch seconds from `start` to `end`. A bare digit
/// run whose value (seconds, or milliseconds) lies inside is a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Times {
    start: i64,
    end: i64,
}

/// How far from the reference a time of the same event may lie.
pub const TIME_EVIDENCE_DAYS: i64 = 31;

impl Times {
    /// No evidence: no digit run is a time.
    pub const NONE: Times = Times { start: 1, end: 0 };

    /// Times within [`TIME_EVIDENCE_DAYS`] of `first` through `last`
    /// (epoch seconds).
    pub fn around(first: i64, last: i64) -> Times {
        let margin = TIME_EVIDENCE_DAYS * 86_400;
        Times {
            start: first.saturating_sub(margin),
            end: last.saturating_add(margin),
        }
    }

    /// True when `digits` (ASCII) as epoch seconds or milliseconds lies
    /// inside.
    fn holds(&self, digits: &str) -> bool {
        let Ok(v) = digits.parse::<i64>() else {
            return false;
        };
        let inside = |s: i64| (self.start..=self.end).contains(&s);
        inside(v) || (digits.len() >= 12 && inside(v / 1000))
    }
}

/// A candidate written with ASCII digits.
struct Shape {
    digits: String,
    international: bool,
    formatted: bool,
}

/// The shape of `text` when the whole of it (trimmed) is digits and
/// separators, with an optional `+` or `00` in front.
fn shape(text: &str) -> Option<Shape> {
    let mut chars = text.trim().chars().peekable();
    let plus = chars.next_if(|&c| digits::is_plus(c)).is_some();
    let mut out = String::with_capacity(text.len());
    let mut formatted = false;
    // where a `0` stood alone in parentheses (`+44 (0)7911 …`)
    let mut zero_in_parens = None;
    let mut last = [' ', ' '];
    for c in chars {
        let seen = if let Some(v) = digits::digit_value(c) {
            out.push(char::from(b'0' + v));
            char::from(b'0' + v)
        } else if digits::is_separator(c) {
            formatted = true;
            if c == ')' && last == ['(', '0'] {
                zero_in_parens = Some(out.len() - 1);
            }
            c
        } else {
            return None;
        };
        last = [last[1], seen];
    }
    let (international, skipped) = if plus {
        (true, 0)
    } else if out.starts_with("00") {
        (true, 2)
    } else {
        (false, 0)
    };
    let mut digits = out.split_off(skipped);
    if let Some(at) = zero_in_parens.filter(|&at| international && at > skipped) {
        digits.remove(at - skipped);
    }
    Some(Shape {
        digits,
        international,
        formatted,
    })
}

/// True when `d` (digits and separators, ASCII) starts with a date:
/// `YYYY-MM-DD` or `DD-MM-YYYY` (also with `.` or `/`).
fn starts_with_date(d: &str) -> bool {
    let Some(head) = d.get(..10) else {
        return false;
    };
    let b = head.as_bytes();
    let is_sep = |c: u8| matches!(c, b'-' | b'.' | b'/');
    let num = |r: Range<usize>| {
        let part = &head[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let month_day = |m: Option<u32>, day: Option<u32>| {
        m.is_some_and(|m| (1..=12).contains(&m)) && day.is_some_and(|x| (1..=31).contains(&x))
    };
    let ymd =
        is_sep(b[4]) && b[7] == b[4] && num(0..4).is_some() && month_day(num(5..7), num(8..10));
    let dmy =
        is_sep(b[2]) && b[5] == b[2] && num(6..10).is_some() && month_day(num(3..5), num(0..2));
    ymd || dmy
}

/// The normal form of `text` when the whole of it (trimmed) is a phone
/// number under `plan`; `times` is the evidence for epoch times.
pub fn normalize(text: &str, plan: &Plan, times: Times) -> Option<String> {
    let s = shape(text)?;
    let n = s.digits.len();
    if s.international {
        // short ones (`+12000000`, an amount?) only where a plan knows them
        return match n {
            10..=MAX_DIGITS => Some(s.digits),
            MIN_INTERNATIONAL..=9 => Plan::international(&s.digits),
            _ => None,
        };
    }
    if !(MIN_DIGITS..=MAX_DIGITS + 1).contains(&n) {
        return None;
    }
    if s.formatted {
        if starts_with_date(&ascii_text(text.trim())) {
            return None;
        }
    } else if times.holds(&s.digits) {
        return None;
    }
    plan.national(&s.digits)
        .or_else(|| (n >= 11).then(|| Plan::international(&s.digits)).flatten())
}

/// `text` with its digits in ASCII.
fn ascii_text(text: &str) -> std::borrow::Cow<'_, str> {
    digits::to_ascii(text).map_or(std::borrow::Cow::Borrowed(text), std::borrow::Cow::Owned)
}

/// The digits of `text` when it is digits and separators only, with
/// any `+`/`00` prefix: the normal form of a phone column's value that no
/// plan knows (`+91 12345 67890` keeps one hash in every format).
pub fn digits_only(text: &str) -> Option<String> {
    shape(text)
        .filter(|s| !s.digits.is_empty())
        .map(|s| s.digits)
}

/// True when `text` (trimmed) is a UUID (8-4-4-4-12 hex digits).
pub fn is_uuid(text: &str) -> bool {
    let t = text.trim();
    t.len() == 36 && uuid_at(t.as_bytes(), 0)
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

/// True for what ends a number in text: two spaces in a row.
fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// The phone numbers inside free text: byte ranges and normal forms.
/// A number is a run of digits (any script) and separators, with an
/// optional `+` in front, that is not glued to a word (`a9876543210`),
/// not part of a UUID, and that [`normalize`] takes. `_` separates words
/// as a space does (`survey_9876543210`, `call_9876543210_at`), in text as
/// in names: identifiers carry numbers too.
pub fn find_in_text(text: &str, plan: &Plan, times: Times) -> Vec<(Range<usize>, String)> {
    let b = text.as_bytes();
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let at = |k: usize| cs.get(k).map_or(text.len(), |c| c.0);
    let glue = |c: char| c.is_ascii_alphanumeric() || digits::is_digit(c);
    let mut found = Vec::new();
    let mut k = 0;
    while k < cs.len() {
        let (pos, c) = cs[k];
        let glued = k > 0 && glue(cs[k - 1].1);
        if !glued && c.is_ascii_hexdigit() && uuid_at(b, pos) {
            while k < cs.len() && cs[k].0 < pos + 36 {
                k += 1;
            }
            continue;
        }
        let is_digit = digits::is_digit(c);
        let starts = is_digit
            || (digits::is_plus(c) && cs.get(k + 1).is_some_and(|n| digits::is_digit(n.1)));
        if !starts || glued {
            k += 1;
            continue;
        }
        let mut end = k + 1;
        let mut last_digit = if is_digit { k + 1 } else { k };
        let mut count = usize::from(is_digit);
        while end < cs.len() && count <= MAX_DIGITS + 1 {
            let c = cs[end].1;
            if digits::is_digit(c) {
                count += 1;
                last_digit = end + 1;
            } else if !digits::is_separator(c)
                || (is_space(c) && cs.get(end + 1).is_some_and(|n| is_space(n.1)))
            {
                break;
            }
            end += 1;
        }
        let glued_after = cs
            .get(last_digit)
            .is_some_and(|&(_, c)| c.is_ascii_alphabetic());
        let span = pos..at(last_digit);
        if starts_with_date(&ascii_text(&text[span.clone()])) {
            // a date is not a number, but what follows it may be one
            k += 10;
            continue;
        }
        if !glued_after && count >= MIN_INTERNATIONAL {
            if let Some(normal) = normalize(&text[span.clone()], plan, times) {
                found.push((with_open_paren(text, span, k, &cs), normal));
            }
        }
        k = last_digit.max(k + 1);
        // skip the rest of an over-long number
        while k < cs.len() && digits::is_digit(cs[k].1) {
            k += 1;
        }
    }
    found
}

/// `span` (starting at char `k`) with the `(` before it when the number
/// closes it (`(415) 555-2671`): the whole number is replaced.
fn with_open_paren(text: &str, span: Range<usize>, k: usize, cs: &[(usize, char)]) -> Range<usize> {
    let inside = &text[span.clone()];
    let closes = inside
        .find([')', '）'])
        .is_some_and(|close| !inside[..close].contains(['(', '（']));
    match k.checked_sub(1).map(|j| cs[j]) {
        Some((open, '(' | '（')) if closes => open..span.end,
        _ => span,
    }
}

#[cfg(test)]
mod tests;
