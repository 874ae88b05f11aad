//! Fonts embedded in the binary (charts render on machines with no system
//! fonts): Noto Sans for Latin text and Noto Sans Devanagari for
//! Devanagari, both under the SIL Open Font License (`assets/fonts/`).
//! Characters neither font has (emoji, other scripts) are replaced so every
//! label stays legible.

use std::sync::Once;

use ab_glyph::{Font, FontRef};
use plotters::style::FontStyle;

static LATIN: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
static DEVANAGARI: &[u8] = include_bytes!("../../assets/fonts/NotoSansDevanagari-Regular.ttf");

/// Family name of the Latin font, as registered with plotters.
pub const LATIN_FAMILY: &str = "hookstat-latin";
/// Family name of the Devanagari font.
pub const DEVANAGARI_FAMILY: &str = "hookstat-devanagari";

static REGISTER: Once = Once::new();

/// Registers the embedded fonts with plotters (once per process).
pub fn register() {
    REGISTER.call_once(|| {
        // The fonts are compiled in and known to parse (tested below).
        let _ = plotters::style::register_font(LATIN_FAMILY, FontStyle::Normal, LATIN);
        let _ = plotters::style::register_font(DEVANAGARI_FAMILY, FontStyle::Normal, DEVANAGARI);
    });
}

fn has_glyph(font: &[u8], c: char) -> bool {
    FontRef::try_from_slice(font).is_ok_and(|f| f.glyph_id(c).0 != 0)
}

fn is_devanagari(c: char) -> bool {
    ('\u{0900}'..='\u{097F}').contains(&c)
}

/// The family to draw `text` with, and the text with characters that
/// family lacks replaced by `?` (runs of them collapse to one).
pub fn fit(text: &str) -> (&'static str, String) {
    let (family, bytes) = if text.chars().any(is_devanagari) {
        (DEVANAGARI_FAMILY, DEVANAGARI)
    } else {
        (LATIN_FAMILY, LATIN)
    };
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' || has_glyph(bytes, c) {
            out.push(c);
        } else if !out.ends_with('?') {
            out.push('?');
        }
    }
    (family, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_parse_and_cover_their_scripts() {
        assert!(FontRef::try_from_slice(LATIN).is_ok());
        assert!(FontRef::try_from_slice(DEVANAGARI).is_ok());
        assert_eq!(
            fit("CMB Default"),
            (LATIN_FAMILY, "CMB Default".to_string())
        );
        assert_eq!(
            fit("Diwali 🎉 Promo"),
            (LATIN_FAMILY, "Diwali ? Promo".to_string())
        );
        let (family, text) = fit("कॉल बैक ऑफ़र");
        assert_eq!(family, DEVANAGARI_FAMILY);
        assert_eq!(text, "कॉल बैक ऑफ़र");
    }
}
