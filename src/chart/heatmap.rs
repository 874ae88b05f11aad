//! Heatmap: a grid of cells coloured by value on a sequential scale
//! (light = few, dark = many), every row and column of the axis shown and
//! none added, with a colour scale whose ticks are in the value's unit.

use super::draw::{title, Meta, HEIGHT, MARGIN, MUTED, TOP, WIDTH};
use super::fonts;
use super::order::short;
use super::spec::{Axes, Heatmap};
use super::svg::{Anchor, Style, Svg};
use super::units::{format, ticks, Scale, Unit};
use crate::text::html_escape as escape;

/// Stops of the colour ramp (ColorBrewer YlGnBu), low to high.
const RAMP: [(u8, u8, u8); 5] = [
    (255, 255, 217),
    (199, 233, 180),
    (65, 182, 196),
    (34, 94, 168),
    (8, 29, 88),
];

/// Fill of cells with nothing in them: neutral, off the ramp, so that one
/// request never looks like none.
const EMPTY: &str = "#f2f2f2";

/// Where the ramp starts for the smallest count above zero.
const FIRST_STEP: f64 = 0.2;

/// The fill of a cell holding `value` when the largest is `max`.
pub(super) fn fill(value: f64, max: f64) -> String {
    if value > 0.0 && max > 0.0 {
        color(FIRST_STEP + (1.0 - FIRST_STEP) * value / max)
    } else {
        EMPTY.to_string()
    }
}

/// The colour of `t` in 0..=1 on the ramp.
pub(super) fn color(t: f64) -> String {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (RAMP.len() - 1) as f64;
    let i = (pos.floor() as usize).min(RAMP.len() - 2);
    let f = pos - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (RAMP[i], RAMP[i + 1]);
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

/// The SVG of a heatmap.
pub(super) fn chart(meta: &Meta<'_>, axes: &Axes, h: &Heatmap) -> String {
    let mut svg = Svg::new(WIDTH, HEIGHT, meta.id, meta.title, meta.desc);
    title(&mut svg, meta.title);
    let max = h
        .values
        .iter()
        .flatten()
        .flatten()
        .copied()
        .fold(0.0f64, f64::max);
    let label_w =
        h.ys.iter()
            .map(|y| fonts::width(y, 13.0))
            .fold(40.0, f64::max)
            .min(200.0);
    let left = MARGIN + 26.0 + label_w + 8.0;
    let right = WIDTH - MARGIN - 120.0;
    let top = TOP + 10.0;
    let cw = (right - left) / h.xs.len() as f64;
    let ch = ((HEIGHT - top - 80.0) / h.ys.len() as f64).min(56.0);
    let bottom = top + ch * h.ys.len() as f64;
    for (yi, row) in h.values.iter().enumerate() {
        let y = top + ch * yi as f64;
        let name = fonts::fit(&h.ys[yi], 13.0, label_w);
        svg.text(
            (left - 8.0, y + ch / 2.0),
            &name,
            Style::new(13.0, Anchor::End),
        );
        for (xi, v) in row.iter().enumerate() {
            let x = left + cw * xi as f64;
            let value = v.unwrap_or(0.0);
            let fill = fill(value, max);
            let tip = format!(
                "{}, {} {}: {}",
                h.ys[yi],
                axes.x,
                h.xs[xi],
                format(h.unit, value)
            );
            svg.rect(x + 0.5, y + 0.5, cw - 1.0, ch - 1.0, &fill, Some(&tip));
        }
    }
    let every = ((fonts::width("00", 12.0) + 6.0) / cw).ceil().max(1.0) as usize;
    for (xi, x) in h.xs.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let cx = left + cw * (xi as f64 + 0.5);
        svg.text(
            (cx, bottom + 13.0),
            &short(x),
            Style::new(12.0, Anchor::Middle).color(MUTED),
        );
    }
    let x_title = fonts::fit(&axes.x, 13.5, right - left);
    svg.text(
        ((left + right) / 2.0, bottom + 38.0),
        &x_title,
        Style::new(13.5, Anchor::Middle).color(MUTED),
    );
    svg.text(
        (MARGIN + 4.0, (top + bottom) / 2.0),
        &axes.y,
        Style::new(13.5, Anchor::Middle).color(MUTED).vertical(),
    );
    scale(&mut svg, meta.id, axes, h, max, (right + 30.0, top, bottom));
    svg.finish()
}

/// The colour scale: a gradient bar with ticks in the value's unit.
fn scale(svg: &mut Svg, id: &str, axes: &Axes, h: &Heatmap, max: f64, at: (f64, f64, f64)) {
    let (x, top, bottom) = at;
    let grad = format!("{}-ramp", escape(id));
    let mut stops = String::new();
    for k in 0..=10 {
        let t = f64::from(k) / 10.0;
        // offset 0 is the bottom (low values)
        stops.push_str(&format!(
            "<stop offset=\"{t}\" stop-color=\"{}\"/>",
            color(FIRST_STEP + (1.0 - FIRST_STEP) * t)
        ));
    }
    svg.raw(&format!(
        "<defs><linearGradient id=\"{grad}\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">{stops}</linearGradient></defs>"
    ));
    svg.raw(&format!(
        "<rect x=\"{x}\" y=\"{top}\" width=\"16\" height=\"{}\" fill=\"url(#{grad})\" stroke=\"#999\" stroke-width=\"0.5\"/>",
        bottom - top
    ));
    let max = if max > 0.0 { max } else { 1.0 };
    let sc = Scale::for_axis(h.unit, max);
    let (values, step) = ticks(&sc, 0.0, max, 5);
    for v in values {
        let y = bottom - (bottom - top) * v / max;
        svg.line((x + 16.0, y), (x + 20.0, y), "#666", 1.0, false);
        let label = match h.unit {
            Unit::Seconds => format(h.unit, v),
            _ => sc.tick(v, step),
        };
        svg.text(
            (x + 24.0, y),
            &label,
            Style::new(11.5, Anchor::Start).color(MUTED),
        );
    }
    let caption = fonts::fit(&axes.value, 12.0, 110.0);
    svg.text(
        (x - 2.0, top - 12.0),
        &caption,
        Style::new(12.0, Anchor::Start).color(MUTED),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ramp_runs_from_light_to_dark() {
        assert_eq!(color(0.0), "#ffffd9");
        assert_eq!(fill(0.0, 10.0), EMPTY);
        assert_ne!(fill(1.0, 100.0), fill(0.0, 100.0));
        assert_eq!(fill(100.0, 100.0), color(1.0));
        assert_eq!(color(1.0), "#081d58");
        assert_eq!(color(0.5), "#41b6c4");
        assert_eq!(color(f64::NAN), "#ffffd9");
    }
}
