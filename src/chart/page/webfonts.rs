//! The fonts the page needs, embedded: for every character of the page
//! that the Latin font lacks, the embedded Devanagari or emoji font,
//! subset to those characters (`chart::subset`), as `@font-face` rules
//! with `data:` URLs and a `unicode-range` of exactly those characters.
//! The family names are the fonts' own, the ones the page's and the
//! charts' font stacks name, so a browser without Noto fonts draws
//! Devanagari and emoji configuration names like the PNG charts do, and
//! nothing is fetched.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::chart::fonts::{self, embedded};
use crate::chart::subset::subset;

/// Characters that join others in shaping (ZWJ, ZWNJ, variation selector,
/// skin tones, flags): part of the subset whenever the page has them.
fn joins(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{1F1E6}'..='\u{1F1FF}')
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let mut b = [0u8; 3];
        b[..chunk.len()].copy_from_slice(chunk);
        let n = u32::from_be_bytes([0, b[0], b[1], b[2]]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The page's fonts when it embeds none: the reader's system font, then
/// the embedded families by name (installed ones are used).
pub const PAGE_FONT_STACK: &str =
    "system-ui,'Noto Sans','Noto Sans Devanagari','Noto Emoji',sans-serif";

/// `<style>` with the `@font-face` rules `text` needs (empty when it needs
/// none).
pub fn faces(text: &str) -> String {
    let used: BTreeSet<char> = text.chars().filter(|c| !c.is_ascii()).collect();
    let mut css = String::new();
    let mut families = Vec::new();
    for (index, (family, bytes)) in embedded().iter().enumerate().skip(1) {
        let mut chars: BTreeSet<char> = used
            .iter()
            .copied()
            .filter(|&c| fonts::font_for(c) == Some(index))
            .collect();
        if chars.is_empty() {
            continue;
        }
        // joiners take part in shaping inside this font's runs
        chars.extend(used.iter().copied().filter(|&c| joins(c)));
        let Some(font) = subset(bytes, &chars) else {
            continue;
        };
        let range = chars
            .iter()
            .map(|c| format!("U+{:X}", u32::from(*c)))
            .collect::<Vec<_>>()
            .join(",");
        let _ = write!(
            css,
            "@font-face{{font-family:'{family}';src:url(data:font/ttf;base64,{}) format('truetype');unicode-range:{range};font-display:block}}",
            base64(&font)
        );
        families.push(format!("'{family}'"));
    }
    if css.is_empty() {
        return css;
    }
    // the embedded families first: their unicode-range holds only the
    // characters Noto Sans lacks, so Latin text keeps the system font, and
    // no system fallback that lacks those characters draws them (Chromium
    // drew a box in the first table of a page otherwise)
    format!(
        "<style>{css}body{{font-family:{},{PAGE_FONT_STACK}}}</style>",
        families.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_fonts_and_characters_the_page_uses() {
        assert_eq!(base64(b"hook"), "aG9vaw==");
        assert_eq!(faces("<p>Evening Slots</p>"), "");
        let css = faces("<td>शाम के स्लॉट 🌙</td>");
        assert_eq!(css.matches("@font-face").count(), 2);
        assert!(css.contains("font-family:'Noto Sans Devanagari'"));
        assert!(css.contains("body{font-family:'Noto Sans Devanagari','Noto Emoji',system-ui,"));
        assert!(css.contains("font-family:'Noto Emoji'"));
        assert!(css.contains("U+1F319"), "the moon's code point");
        assert!(!css.contains("U+61"), "Latin is left to the reader's fonts");
        assert!(css.len() < 150_000, "{} bytes", css.len());
    }
}
