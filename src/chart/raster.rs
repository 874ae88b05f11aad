//! PNG from the chart's SVG with a text-shaping rasteriser (resvg; usvg
//! lays text out with HarfRust, the Rust port of HarfBuzz), using only the
//! embedded fonts: words are shaped as runs (no per-glyph spacing),
//! Devanagari conjuncts and matras are formed, and characters the first
//! family lacks fall back to the Devanagari or emoji font.

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{Options, Tree};

use super::fonts::{self, LATIN_FAMILY};

/// Pixels per SVG unit in the PNG (sharp on slides and high-DPI screens).
pub const PNG_SCALE: f32 = 2.0;

/// Rasterises `svg` at `scale` and returns the PNG bytes.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let pixmap = pixmap(svg, scale)?;
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// Rasterises `svg` at `scale` into RGBA pixels on white.
pub fn pixmap(svg: &str, scale: f32) -> Result<Pixmap, String> {
    let options = Options {
        fontdb: fonts::database(),
        font_family: LATIN_FAMILY.to_string(),
        ..Options::default()
    };
    let tree = Tree::from_str(svg, &options).map_err(|e| format!("chart SVG: {e}"))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("empty chart")?;
    let mut pixmap = Pixmap::new(size.width(), size.height()).ok_or("chart too large")?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}
