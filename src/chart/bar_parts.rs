//! The pieces of a bar chart: where bands and values go ([`Geo`]),
//! category labels with their n, value labels beyond the bar ends,
//! tooltips, whiskers and the reference mark.

use super::draw::{Linear, MUTED};
use super::fonts;
use super::spec::Bars;
use super::svg::{Anchor, Style, Svg};
use super::units::{format, Unit};

/// Where bars go: bands along one axis, values along the other.
pub(super) struct Geo {
    /// Values run left to right (categories top to bottom).
    pub horizontal: bool,
    /// Value -> pixel along the value axis.
    pub value: Linear,
    /// Pixel where the first band starts.
    pub start: f64,
    /// Band size in pixels.
    pub band: f64,
}

impl Geo {
    /// The middle of band `i`.
    pub fn mid(&self, i: usize) -> f64 {
        self.start + self.band * (i as f64 + 0.5)
    }

    /// A point at band position `b` (pixels) and value pixel `v`.
    pub fn at(&self, b: f64, v: f64) -> (f64, f64) {
        if self.horizontal {
            (v, b)
        } else {
            (b, v)
        }
    }

    /// A bar from band pixel `b0` to `b1` and value `v0` to `v1`.
    pub fn bar(&self, svg: &mut Svg, b: (f64, f64), v: (f64, f64), fill: &str, tip: &str) {
        let (p0, p1) = (self.value.map(v.0), self.value.map(v.1));
        let (x, y) = self.at(b.0, p0);
        let (x2, y2) = self.at(b.1, p1);
        svg.rect(x, y, x2 - x, y2 - y, fill, Some(tip));
    }

    /// A value label just beyond value `v` in band `i` (before it when
    /// `v` is negative).
    pub fn label(&self, svg: &mut Svg, i: usize, v: f64, text: &str) {
        let p = self.value.map(v);
        let neg = v < 0.0;
        let style = Style::new(12.5, Anchor::Start).color("#333");
        if self.horizontal {
            let (x, anchor) = if neg {
                (p - 5.0, Anchor::End)
            } else {
                (p + 5.0, Anchor::Start)
            };
            svg.text((x, self.mid(i)), text, Style { anchor, ..style });
        } else {
            let y = if neg { p + 10.0 } else { p - 10.0 };
            svg.text(
                (self.mid(i), y),
                text,
                Style {
                    anchor: Anchor::Middle,
                    ..style
                },
            );
        }
    }
}

pub(super) fn category_labels(
    svg: &mut Svg,
    bars: &Bars,
    x: f64,
    top: f64,
    bottom: f64,
    with_n: bool,
) {
    let band = (bottom - top) / bars.categories.len() as f64;
    for (i, c) in bars.categories.iter().enumerate() {
        let mid = top + band * (i as f64 + 0.5);
        let label = fonts::fit(c, 13.0, 280.0);
        let n = bars
            .counts
            .as_ref()
            .filter(|_| with_n)
            .and_then(|c| c.values[i]);
        let dy = if n.is_some() { 7.0 } else { 0.0 };
        svg.text((x, mid - dy), &label, Style::new(13.0, Anchor::End));
        if let (Some(n), Some(counts)) = (n, &bars.counts) {
            let text = format!(
                "n = {} {}",
                format(Unit::Count, n),
                singular(n, &counts.name)
            );
            let text = fonts::fit(&text, 11.0, 280.0);
            svg.text(
                (x, mid + 9.0),
                &text,
                Style::new(11.0, Anchor::End).color(MUTED),
            );
        }
    }
}

/// Value labels per category: the formatted value (stack total), n when
/// there is no label column for it.
pub(super) fn labels(
    bars: &Bars,
    i: usize,
    n_inline: bool,
    fmt: &dyn Fn(f64) -> String,
) -> Vec<(f64, String)> {
    let mut out = Vec::new();
    let values = bars
        .series
        .iter()
        .map(|s| s.values.get(i).copied().flatten());
    if bars.stacked {
        let total: f64 = values.flatten().sum();
        out.push((total, fmt(total)));
    } else {
        for v in values {
            out.push(v.map_or((0.0, String::new()), |v| (v, fmt(v))));
        }
    }
    if n_inline {
        if let Some(n) = bars.counts.as_ref().and_then(|c| c.values[i]) {
            if let Some(last) = out.last_mut() {
                last.1 = format!("{} · n = {}", last.1, format(Unit::Count, n));
            }
        }
    }
    out
}

pub(super) fn tooltip(bars: &Bars, i: usize, series: usize, v: f64) -> String {
    let mut t = format!("{}: {}", bars.categories[i], format(bars.unit, v));
    if bars.series.len() > 1 {
        t = format!("{} · {}", t, bars.series[series].name);
    }
    if let Some((Some(lo), Some(hi))) = bars.whiskers.as_ref().and_then(|w| w.get(i).copied()) {
        t = format!(
            "{t} (interval {} – {})",
            format(bars.unit, lo),
            format(bars.unit, hi)
        );
    }
    if let Some(n) = bars.counts.as_ref().and_then(|c| c.values[i]) {
        let name = &bars.counts.as_ref().map_or("", |c| c.name.as_str());
        t = format!("{t}, n = {} {}", format(Unit::Count, n), singular(n, name));
    }
    t
}

pub(super) fn label_values(
    svg: &mut Svg,
    bars: &Bars,
    geo: &Geo,
    i: usize,
    labels: &[(f64, String)],
    sub: f64,
    thick: f64,
) {
    let (lo_whisker, hi_whisker) = bars.whiskers.as_ref().map_or((None, None), |w| w[i]);
    for (j, (v, text)) in labels.iter().enumerate() {
        if text.is_empty() || (!geo.horizontal && fonts::width(text, 12.5) > geo.band) {
            continue;
        }
        // beyond the whisker on the bar's side, so that no line crosses it
        let end = match (lo_whisker, hi_whisker) {
            (_, Some(h)) if *v >= 0.0 => v.max(h),
            (Some(l), _) if *v < 0.0 => v.min(l),
            _ => *v,
        };
        let shift = if bars.stacked {
            0.0
        } else {
            sub * (j as f64 + 0.5) - thick / 2.0
        };
        let g = Geo {
            start: geo.start + shift,
            value: geo.value,
            ..*geo
        };
        g.label(svg, i, end, text);
    }
}

pub(super) fn whisker(svg: &mut Svg, bars: &Bars, geo: &Geo, i: usize) {
    let Some((Some(lo), Some(hi))) = bars.whiskers.as_ref().and_then(|w| w.get(i).copied()) else {
        return;
    };
    let (m, l, h) = (geo.mid(i), geo.value.map(lo), geo.value.map(hi));
    svg.line(geo.at(m, l), geo.at(m, h), "#222", 1.6, false);
    for p in [l, h] {
        svg.line(geo.at(m - 6.0, p), geo.at(m + 6.0, p), "#222", 1.6, false);
    }
}

/// The reference category: a mark on the zero line and its label.
pub(super) fn reference(svg: &mut Svg, geo: &Geo, i: usize, mark: (&str, &str), range: (f64, f64)) {
    let ((label, color), (lo, hi)) = (mark, range);
    let zero = geo.value.map(0.0);
    let m = geo.mid(i);
    svg.line(
        geo.at(m - 12.0, zero),
        geo.at(m + 12.0, zero),
        color,
        6.0,
        false,
    );
    let style = Style::new(13.0, Anchor::End).color("#111");
    let (x, y) = geo.at(m, zero);
    if geo.horizontal {
        let (x, anchor) = if -lo >= hi {
            (x - 8.0, Anchor::End)
        } else {
            (x + 8.0, Anchor::Start)
        };
        svg.text((x, y), label, Style { anchor, ..style });
    } else {
        svg.text(
            (x, y - 14.0),
            label,
            Style {
                anchor: Anchor::Middle,
                ..style
            },
        );
    }
}

/// Category labels under columns, thinned so they never overlap.
pub(super) fn column_labels(svg: &mut Svg, categories: &[String], geo: &Geo, y: f64) {
    let widest = categories
        .iter()
        .map(|c| fonts::width(c, 12.0))
        .fold(0.0, f64::max)
        + 8.0;
    let every = (widest / geo.band).ceil().max(1.0) as usize;
    for (i, c) in categories
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
    {
        svg.text(
            (geo.mid(i), y + 14.0),
            c,
            Style::new(12.0, Anchor::Middle).color(MUTED),
        );
    }
}

/// "1 request", not "1 requests".
fn singular(n: f64, name: &str) -> &str {
    if n == 1.0 {
        name.strip_suffix('s').unwrap_or(name)
    } else {
        name
    }
}
