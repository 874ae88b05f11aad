//! What every chart shares: the page size, the title, value axes with
//! round ticks in the unit a person reads, legends placed outside the
//! plot area, and the "no data" chart. Each chart kind is drawn in its
//! own file (`bars.rs`, `heatmap.rs`, `lines.rs`) into an [`Svg`].

use super::fonts;
use super::spec::{Axes, Spec};
use super::svg::{Anchor, Style, Svg};
use super::units::{ticks, Scale};

/// Width of every chart in SVG pixels.
pub const WIDTH: f64 = 1000.0;
/// Default height of a chart (bar charts grow with their categories).
pub const HEIGHT: f64 = 560.0;
/// Left and right page margin.
pub(super) const MARGIN: f64 = 24.0;
/// Where the plot area starts below the title.
pub(super) const TOP: f64 = 64.0;
/// Light grid lines.
pub(super) const GRID: &str = "#e3e6ea";
/// Axis lines and the zero line.
pub(super) const AXIS: &str = "#555";
/// Secondary text.
pub(super) const MUTED: &str = "#666";

/// What a chart is drawn for: its page title, description and an id
/// unique on the page.
pub struct Meta<'a> {
    /// The report title.
    pub title: &'a str,
    /// The report description (the SVG's `<desc>`).
    pub desc: &'a str,
    /// Unique id (the report name).
    pub id: &'a str,
}

/// A linear map from values to pixels.
#[derive(Debug, Clone, Copy)]
pub(super) struct Linear {
    pub d0: f64,
    pub d1: f64,
    pub p0: f64,
    pub p1: f64,
}

impl Linear {
    pub(super) fn map(&self, v: f64) -> f64 {
        let t = if (self.d1 - self.d0).abs() < 1e-300 {
            0.0
        } else {
            (v - self.d0) / (self.d1 - self.d0)
        };
        self.p0 + t * (self.p1 - self.p0)
    }
}

/// The value range to draw: always includes 0 (bars and counts start
/// there), never empty.
pub(super) fn range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi - lo < 1e-12 {
        hi = lo + 1.0;
    }
    (lo, hi)
}

/// An axis title naming the unit when the axis is in one ("median
/// (hours)"); `{unit}` in the label is replaced instead when present.
pub(super) fn unit_title(label: &str, scale: &Scale) -> String {
    if label.contains("{unit}") {
        return label.replace("{unit}", scale.name);
    }
    if scale.name.is_empty() || label.contains(scale.name) {
        label.to_string()
    } else if label.is_empty() {
        scale.name.to_string()
    } else {
        format!("{label} ({})", scale.name)
    }
}

/// The chart title, top left.
pub(super) fn title(svg: &mut Svg, text: &str) {
    let t = fonts::fit(text, 21.0, WIDTH - 2.0 * MARGIN);
    svg.text(
        (MARGIN, 30.0),
        &t,
        Style::new(21.0, Anchor::Start).color("#111"),
    );
}

/// Gridlines and tick labels of a value axis; `horizontal`: values run
/// left to right and labels go below `at`, otherwise bottom to top with
/// labels left of `at`. `across` is the plot's extent the other way.
pub(super) fn value_axis(
    svg: &mut Svg,
    scale: &Scale,
    map: &Linear,
    horizontal: bool,
    at: f64,
    across: (f64, f64),
    target: usize,
) {
    let (lo, hi) = if map.d0 < map.d1 {
        (map.d0, map.d1)
    } else {
        (map.d1, map.d0)
    };
    let (values, step) = ticks(scale, lo, hi, target);
    for v in values {
        let p = map.map(v);
        let label = scale.tick(v, step);
        let zero = v.abs() < step * 1e-6;
        let (color, width) = if zero { (AXIS, 1.2) } else { (GRID, 1.0) };
        if horizontal {
            svg.line((p, across.0), (p, across.1), color, width, false);
            svg.text(
                (p, at + 12.0),
                &label,
                Style::new(12.0, Anchor::Middle).color(MUTED),
            );
        } else {
            svg.line((across.0, p), (across.1, p), color, width, false);
            svg.text(
                (at - 8.0, p),
                &label,
                Style::new(12.0, Anchor::End).color(MUTED),
            );
        }
    }
}

/// Width a legend of `names` needs (0 for fewer than two).
pub(super) fn legend_width(names: &[&str]) -> f64 {
    if names.len() < 2 {
        return 0.0;
    }
    let widest = names
        .iter()
        .map(|n| fonts::width(n, 13.0))
        .fold(0.0, f64::max);
    (widest + 34.0).min(230.0)
}

/// A vertical legend (swatch and name per item) starting at (`x`, `y`),
/// `w` wide: always beside the plot, never over it.
pub(super) fn legend(svg: &mut Svg, items: &[(&str, &str)], x: f64, y: f64, w: f64) {
    if items.len() < 2 {
        return;
    }
    for (i, (name, color)) in items.iter().enumerate() {
        let cy = y + 20.0 * i as f64;
        svg.rect(x, cy - 6.0, 14.0, 12.0, color, None);
        let label = fonts::fit(name, 13.0, w - 22.0);
        svg.text((x + 20.0, cy), &label, Style::new(13.0, Anchor::Start));
    }
}

/// A chart that says there is nothing to show.
pub(super) fn empty(meta: &Meta<'_>) -> String {
    let mut svg = Svg::new(WIDTH, 300.0, meta.id, meta.title, meta.desc);
    title(&mut svg, meta.title);
    svg.text(
        (WIDTH / 2.0, 160.0),
        "nothing to show: the query returned no rows",
        Style::new(18.0, Anchor::Middle).color(MUTED),
    );
    svg.finish()
}

/// The SVG of `spec`.
pub fn draw(meta: &Meta<'_>, axes: &Axes, spec: &Spec) -> String {
    if spec.is_empty() {
        return empty(meta);
    }
    match spec {
        Spec::Bars(bars) => super::bars::chart(meta, axes, &[(String::new(), bars.clone())]),
        Spec::Panels(panels) => super::bars::chart(meta, axes, panels),
        Spec::Heatmap(h) => super::heatmap::chart(meta, axes, h),
        Spec::Lines(l) => super::lines::chart(meta, axes, l),
    }
}
