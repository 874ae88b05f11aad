//! Fonts embedded in the binary (charts render on machines with no system
//! fonts, nothing is fetched): Noto Sans for Latin, Noto Sans Devanagari,
//! and Noto Emoji (monochrome outlines, 0.9 MB), all under the SIL Open
//! Font License (`assets/fonts/OFL.txt`). The PNG rasteriser gets a font
//! database holding only these; the SVG names them by their real family
//! names, so browsers use the same fonts when installed and fall back per
//! character as the rasteriser does.

use std::sync::{Arc, OnceLock};

use ab_glyph::{Font, FontRef};
use resvg::usvg::fontdb;

static LATIN: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
static DEVANAGARI: &[u8] = include_bytes!("../../assets/fonts/NotoSansDevanagari-Regular.ttf");
static EMOJI: &[u8] = include_bytes!("../../assets/fonts/NotoEmoji-Regular.ttf");

/// Family name of the Latin font (as stored in the font).
pub const LATIN_FAMILY: &str = "Noto Sans";
/// Family name of the Devanagari font.
pub const DEVANAGARI_FAMILY: &str = "Noto Sans Devanagari";
/// Family name of the emoji font.
pub const EMOJI_FAMILY: &str = "Noto Emoji";
/// The `font-family` every chart's text uses: the embedded families in
/// fallback order, then generic ones for viewers without them.
pub const FONT_STACK: &str =
    "'Noto Sans', 'Noto Sans Devanagari', 'Noto Emoji', 'Segoe UI Emoji', sans-serif";

/// The embedded fonts as (family, bytes), in fallback order.
pub fn embedded() -> [(&'static str, &'static [u8]); 3] {
    [
        (LATIN_FAMILY, LATIN),
        (DEVANAGARI_FAMILY, DEVANAGARI),
        (EMOJI_FAMILY, EMOJI),
    ]
}

/// A font database with the embedded fonts and nothing else (built once).
pub fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        for (_, bytes) in embedded() {
            db.load_font_data(bytes.to_vec());
        }
        db.set_sans_serif_family(LATIN_FAMILY);
        Arc::new(db)
    })
    .clone()
}

fn parsed() -> &'static [FontRef<'static>] {
    static FONTS: OnceLock<Vec<FontRef<'static>>> = OnceLock::new();
    FONTS.get_or_init(|| {
        embedded()
            .iter()
            .filter_map(|(_, bytes)| FontRef::try_from_slice(bytes).ok())
            .collect()
    })
}

/// Which embedded font draws `c` (index into [`embedded`]), if any.
pub fn font_for(c: char) -> Option<usize> {
    parsed().iter().position(|f| f.glyph_id(c).0 != 0)
}

/// `text` split where it changes between Devanagari (its Unicode blocks)
/// and other scripts, as (is Devanagari, run): spaces and joiners stay in
/// the run they are in.
/// The rasteriser shapes a text with one font and falls back per glyph
/// only when both fonts give as many glyphs, which Devanagari's conjuncts
/// never do; a chart therefore names the Devanagari font for such a run.
pub fn devanagari_runs(text: &str) -> Vec<(bool, &str)> {
    let mut runs: Vec<(bool, &str)> = Vec::new();
    let mut start = 0;
    let mut current: Option<bool> = None;
    for (i, c) in text.char_indices() {
        let neutral = c.is_whitespace() || matches!(c, '\u{200C}' | '\u{200D}');
        if neutral {
            continue;
        }
        let devanagari = matches!(c, '\u{0900}'..='\u{097F}' | '\u{A8E0}'..='\u{A8FF}' | '\u{1CD0}'..='\u{1CFF}');
        match current {
            Some(d) if d != devanagari => {
                runs.push((d, &text[start..i]));
                start = i;
                current = Some(devanagari);
            }
            None => current = Some(devanagari),
            _ => {}
        }
    }
    if start < text.len() {
        runs.push((current.unwrap_or(false), &text[start..]));
    }
    runs
}

/// Approximate width in pixels of `text` at `size` px (advance widths of
/// the font each character falls back to; used for layout only, the
/// rasteriser shapes the real text).
pub fn width(text: &str, size: f64) -> f64 {
    let fonts = parsed();
    let mut w = 0.0;
    for c in text.chars() {
        let Some(i) = font_for(c) else {
            w += 0.6 * size;
            continue;
        };
        let font = &fonts[i];
        let em = f64::from(font.units_per_em().unwrap_or(1000.0));
        w += f64::from(font.h_advance_unscaled(font.glyph_id(c))) * size / em;
    }
    w
}

/// `text` cut to at most `max` pixels at `size` px, with "…" when cut.
pub fn fit(text: &str, size: f64, max: f64) -> String {
    if width(text, size) <= max {
        return text.to_string();
    }
    let mut out: Vec<char> = text.chars().collect();
    while !out.is_empty() {
        out.pop();
        let s: String = out.iter().collect::<String>().trim_end().to_string() + "…";
        if width(&s, size) <= max {
            return s;
        }
    }
    "…".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devanagari_runs_split_where_the_script_changes() {
        assert_eq!(
            devanagari_runs("बाद में कॉल · 3f6a2c1e"),
            vec![(true, "बाद में कॉल "), (false, "· 3f6a2c1e")]
        );
        assert_eq!(
            devanagari_runs("Diwali 🎉 Promo"),
            vec![(false, "Diwali 🎉 Promo")]
        );
        assert_eq!(
            devanagari_runs("A क्षत्रिय B"),
            vec![(false, "A "), (true, "क्षत्रिय "), (false, "B")]
        );
        assert_eq!(devanagari_runs("−12.3 pp"), vec![(false, "−12.3 pp")]);
        assert_eq!(devanagari_runs(""), vec![]);
    }

    #[test]
    fn the_database_holds_exactly_the_families_the_svg_names() {
        let db = database();
        let mut families: Vec<String> = db
            .faces()
            .flat_map(|f| f.families.iter().map(|(n, _)| n.clone()))
            .collect();
        families.sort();
        families.dedup();
        assert_eq!(
            families,
            ["Noto Emoji", "Noto Sans", "Noto Sans Devanagari"]
        );
        for (family, _) in embedded() {
            assert!(FONT_STACK.contains(&format!("'{family}'")), "{family}");
        }
    }

    #[test]
    fn every_script_of_the_data_has_a_font() {
        assert_eq!(font_for('a'), Some(0));
        assert_eq!(font_for('ऑ'), Some(1));
        assert_eq!(font_for('🎉'), Some(2));
        assert_eq!(font_for('📞'), Some(2));
        assert!(width("Evening slots", 14.0) > width("Evening", 14.0));
        assert_eq!(fit("short", 14.0, 200.0), "short");
        let cut = fit("a very long configuration name indeed", 14.0, 80.0);
        assert!(cut.ends_with('…') && width(&cut, 14.0) <= 80.0, "{cut}");
    }
}
