//! The PNG rasteriser draws text as a person expects: Devanagari shaped
//! (conjuncts formed), emoji drawn from the embedded emoji font (not "?"
//! or the .notdef box), Latin words without gaps between letters, mixed
//! strings falling back per character. Judged from the pixels.

use hookstat::chart::raster::pixmap;
use hookstat::chart::svg::{Anchor, Style, Svg};

/// Columns (x) that hold ink, and the count of ink pixels, of `text`
/// drawn at `size` px.
fn ink(text: &str, size: f64) -> (Vec<bool>, usize) {
    let mut svg = Svg::new(800.0, 120.0, "t", "t", "");
    svg.text((20.0, 60.0), text, Style::new(size, Anchor::Start));
    let pm = pixmap(&svg.finish(), 1.0).unwrap();
    let (w, h) = (pm.width() as usize, pm.height() as usize);
    let data = pm.data();
    let mut cols = vec![false; w];
    let mut count = 0;
    for y in 0..h {
        for (x, col) in cols.iter_mut().enumerate() {
            let p = &data[(y * w + x) * 4..(y * w + x) * 4 + 3];
            if p.iter().any(|&c| c < 160) {
                *col = true;
                count += 1;
            }
        }
    }
    (cols, count)
}

/// First and last inked column.
fn span(cols: &[bool]) -> (usize, usize) {
    let first = cols.iter().position(|&c| c).expect("no ink at all");
    let last = cols.iter().rposition(|&c| c).unwrap();
    (first, last)
}

/// The widest run of empty columns between the first and last ink.
fn widest_gap(cols: &[bool]) -> usize {
    let (first, last) = span(cols);
    let mut widest = 0;
    let mut run = 0;
    for &c in &cols[first..=last] {
        run = if c { 0 } else { run + 1 };
        widest = widest.max(run);
    }
    widest
}

fn pixels(text: &str) -> Vec<u8> {
    let mut svg = Svg::new(400.0, 80.0, "t", "t", "");
    svg.text((10.0, 40.0), text, Style::new(40.0, Anchor::Start));
    pixmap(&svg.finish(), 1.0).unwrap().data().to_vec()
}

#[test]
fn devanagari_is_drawn_and_shaped_into_conjuncts() {
    let (cols, count) = ink("कॉल बैक ऑफ़र", 40.0);
    assert!(count > 500, "Devanagari drew {count} ink pixels");
    assert_ne!(pixels("कॉल"), pixels("?"), "drawn as a question mark");
    assert_ne!(pixels("कॉल"), pixels("???"));
    // क्ष is one conjunct glyph: narrower than क् and ष side by side
    let (conjunct, _) = ink("क्ष", 40.0);
    let (half, _) = ink("क्", 40.0);
    let (ssa, _) = ink("ष", 40.0);
    let w = |c: &[bool]| {
        let (a, b) = span(c);
        b - a + 1
    };
    assert!(
        (w(&conjunct) as f64) < 0.8 * (w(&half) + w(&ssa)) as f64,
        "conjunct {} vs parts {} + {}",
        w(&conjunct),
        w(&half),
        w(&ssa)
    );
    assert!(span(&cols).1 > 200, "the whole string is drawn");
}

#[test]
fn emoji_come_from_the_emoji_font_not_the_missing_glyph_box() {
    let (_, party) = ink("🎉", 40.0);
    assert!(party > 100, "🎉 drew {party} ink pixels");
    // a private-use character no font has: the .notdef box
    let notdef = pixels("\u{E000}");
    assert_ne!(pixels("🎉"), notdef, "🎉 drawn as .notdef");
    assert_ne!(pixels("📞"), notdef, "📞 drawn as .notdef");
    assert_ne!(pixels("🎉"), pixels("📞"));
    assert_ne!(pixels("🎉"), pixels("?"));
}

#[test]
fn latin_words_have_no_gaps_between_their_letters() {
    for word in ["Evening", "Slots", "Diwali"] {
        let (cols, _) = ink(word, 40.0);
        let (space, _) = ink("l l", 40.0);
        // the gap a space makes between two letters
        let space_gap = widest_gap(&space);
        assert!(
            widest_gap(&cols) * 2 < space_gap,
            "{word}: a gap of {} px inside the word (a space is {space_gap} px)",
            widest_gap(&cols)
        );
    }
}

#[test]
fn mixed_strings_fall_back_per_character() {
    let mixed = pixels("Festive 🎉 ऑफ़र");
    assert_ne!(mixed, pixels("Festive ? ?"));
    assert_ne!(mixed, pixels("Festive \u{E000} \u{E000}"));
    // every part is drawn: the ink reaches as far as the parts together
    let (all, _) = ink("Festive 🎉 ऑफ़र", 40.0);
    let (latin, _) = ink("Festive 🎉", 40.0);
    assert!(
        span(&all).1 > span(&latin).1 + 60,
        "Devanagari part missing"
    );
}

#[test]
fn escaped_names_render_and_do_not_break_the_document() {
    let mut svg = Svg::new(400.0, 80.0, "a<b", "x & \"y\"", "<desc>");
    svg.text(
        (10.0, 40.0),
        "A <b> & \"c\" 'd'",
        Style::new(20.0, Anchor::Start),
    );
    let pm = pixmap(&svg.finish(), 1.0).unwrap();
    assert!(pm.data().chunks(4).any(|p| p[0] < 100));
}
