//! Bar charts: one or more panels of bars per category sharing the
//! category labels, each panel with its own value scale. Text categories
//! (configuration names, however long) are drawn as horizontal bars with
//! their names on the left; numeric categories (run ids) as columns.
//! Bars start at zero and carry their value (and n) as a label.

use super::draw::{
    legend, legend_width, range, title, unit_title, value_axis, Linear, Meta, AXIS, HEIGHT, MARGIN,
    MUTED, TOP, WIDTH,
};
use super::fonts;
use super::spec::{Axes, Bars};
use super::svg::{Anchor, Style, Svg};
use super::units::{format, Scale};

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

/// True when every category is a number (run ids): drawn as columns.
fn numeric(categories: &[String]) -> bool {
    categories.iter().all(|c| c.parse::<f64>().is_ok())
}

/// The SVG of bar panels sharing categories.
pub(super) fn chart(meta: &Meta<'_>, axes: &Axes, panels: &[(String, Bars)]) -> String {
    let first = &panels[0].1;
    let horizontal = panels.len() > 1 || !numeric(&first.categories);
    let n = first.categories.len();
    let groups = if first.stacked {
        1
    } else {
        first.series.len().max(1)
    };
    let names: Vec<&str> = first.series.iter().map(|s| s.name.as_str()).collect();
    let lgw = if first.category_colors.is_some() {
        0.0
    } else {
        legend_width(&names)
    };
    let with_n = panels.len() == 1 && first.counts.is_some();
    let height = if horizontal {
        let min_band = (13.0 * groups as f64 + 16.0).max(if with_n { 38.0 } else { 30.0 });
        let band = ((HEIGHT - TOP - 90.0) / n as f64).clamp(min_band, 64.0);
        (TOP + 24.0 + band * n as f64 + 66.0).max(300.0)
    } else {
        HEIGHT
    };
    let mut svg = Svg::new(WIDTH, height, meta.id, meta.title, meta.desc);
    title(&mut svg, meta.title);
    let titled = panels.iter().any(|(t, _)| !t.is_empty());
    let top = TOP + if titled { 24.0 } else { 8.0 };
    let bottom = height - 66.0;
    let right = WIDTH - MARGIN - if lgw > 0.0 { lgw + 16.0 } else { 0.0 };
    let left = if horizontal {
        MARGIN + label_column(first) + 12.0
    } else {
        MARGIN + 76.0
    };
    let gap = 36.0;
    let pw = (right - left - gap * (panels.len() - 1) as f64) / panels.len() as f64;
    for (k, (name, bars)) in panels.iter().enumerate() {
        let x0 = left + k as f64 * (pw + gap);
        if !name.is_empty() {
            let t = fonts::fit(name, 15.0, pw);
            svg.text(
                (x0 + pw / 2.0, top - 16.0),
                &t,
                Style::new(15.0, Anchor::Middle),
            );
        }
        panel(
            &mut svg,
            axes,
            bars,
            (x0, top, x0 + pw, bottom),
            horizontal,
            panels.len() > 1,
        );
    }
    if horizontal {
        category_labels(&mut svg, first, left - 12.0, top, bottom, with_n);
        if !axes.x.is_empty() {
            let t = fonts::fit(&axes.x, 12.0, left - MARGIN);
            svg.text(
                (left - 12.0, top - 8.0),
                &t,
                Style::new(12.0, Anchor::End).color(MUTED),
            );
        }
    }
    if lgw > 0.0 {
        let items: Vec<(&str, &str)> = first
            .series
            .iter()
            .map(|s| (s.name.as_str(), s.color.as_str()))
            .collect();
        legend(&mut svg, &items, WIDTH - MARGIN - lgw, top + 6.0, lgw);
    }
    svg.finish()
}

/// Width of the category label column of horizontal bars.
fn label_column(bars: &Bars) -> f64 {
    let widest = bars
        .categories
        .iter()
        .map(|c| fonts::width(c, 13.0))
        .fold(60.0, f64::max);
    widest.min(280.0)
}

fn category_labels(svg: &mut Svg, bars: &Bars, x: f64, top: f64, bottom: f64, with_n: bool) {
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
                format(super::units::Unit::Count, n),
                counts.name
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
fn labels(bars: &Bars, i: usize, n_inline: bool) -> Vec<(f64, String)> {
    let mut out = Vec::new();
    let values = bars
        .series
        .iter()
        .map(|s| s.values.get(i).copied().flatten());
    if bars.stacked {
        let total: f64 = values.flatten().sum();
        out.push((total, format(bars.unit, total)));
    } else {
        for v in values {
            out.push(v.map_or((0.0, String::new()), |v| (v, format(bars.unit, v))));
        }
    }
    if n_inline {
        if let Some(n) = bars.counts.as_ref().and_then(|c| c.values[i]) {
            if let Some(last) = out.last_mut() {
                last.1 = format!("{} · n = {}", last.1, format(super::units::Unit::Count, n));
            }
        }
    }
    out
}

fn tooltip(bars: &Bars, i: usize, series: usize, v: f64) -> String {
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
        t = format!("{t}, n = {} {name}", format(super::units::Unit::Count, n));
    }
    t
}

/// One panel of bars inside `rect` (x0, y0, x1, y1).
fn panel(
    svg: &mut Svg,
    axes: &Axes,
    bars: &Bars,
    rect: (f64, f64, f64, f64),
    horizontal: bool,
    n_inline: bool,
) {
    let (x0, y0, x1, y1) = rect;
    let n = bars.categories.len();
    let groups = if bars.stacked {
        1
    } else {
        bars.series.len().max(1)
    };
    let all: Vec<Vec<(f64, String)>> = (0..n).map(|i| labels(bars, i, n_inline)).collect();
    let whisker_ends = bars
        .whiskers
        .iter()
        .flatten()
        .flat_map(|(l, h)| [*l, *h])
        .flatten();
    let (lo, hi) = range(all.iter().flatten().map(|(v, _)| *v).chain(whisker_ends));
    // room for the value labels beyond the bar ends
    let widest = all
        .iter()
        .flatten()
        .map(|(_, t)| fonts::width(t, 12.5))
        .fold(0.0, f64::max);
    let (p0, p1) = if horizontal { (x0, x1) } else { (y1, y0) };
    let room = if horizontal { widest + 10.0 } else { 24.0 };
    let pad_lo = if lo < 0.0 { room } else { 0.0 };
    let pad_hi = if hi > 0.0 { room } else { 0.0 };
    let dir = if horizontal { 1.0 } else { -1.0 };
    let inner = Linear {
        d0: lo,
        d1: hi,
        p0: p0 + dir * pad_lo,
        p1: p1 - dir * pad_hi,
    };
    let per_px = (hi - lo) / (inner.p1 - inner.p0).abs().max(1.0);
    let value = Linear {
        d0: lo - pad_lo * per_px,
        d1: hi + pad_hi * per_px,
        p0,
        p1,
    };
    let scale = Scale::for_axis(bars.unit, lo.abs().max(hi.abs()));
    let (start, end) = if horizontal { (y0, y1) } else { (x0, x1) };
    let geo = Geo {
        horizontal,
        value,
        start,
        band: (end - start) / n as f64,
    };
    if horizontal {
        value_axis(svg, &scale, &value, true, y1, (y0, y1), 5);
        let t = unit_title(&axes.y, &scale);
        svg.text(
            ((x0 + x1) / 2.0, y1 + 36.0),
            &t,
            Style::new(13.5, Anchor::Middle).color(MUTED),
        );
    } else {
        value_axis(svg, &scale, &value, false, x0, (x0, x1), 6);
        let t = unit_title(&axes.y, &scale);
        svg.text(
            (MARGIN, (y0 + y1) / 2.0),
            &t,
            Style::new(13.5, Anchor::Middle).color(MUTED).vertical(),
        );
        svg.text(
            ((x0 + x1) / 2.0, y1 + 44.0),
            &axes.x,
            Style::new(13.5, Anchor::Middle).color(MUTED),
        );
        column_labels(svg, &bars.categories, &geo, y1);
    }
    let thick = (geo.band * 0.66).min(28.0 * groups as f64);
    let sub = thick / groups as f64;
    for i in 0..n {
        let b0 = geo.mid(i) - thick / 2.0;
        let row = if horizontal {
            (x0, b0 - 4.0, x1 - x0, thick + 8.0)
        } else {
            (b0, y0, thick, y1 - y0)
        };
        let first = bars
            .series
            .first()
            .and_then(|s| s.values.get(i).copied().flatten());
        svg.hit(
            row.0,
            row.1,
            row.2,
            row.3,
            &tooltip(bars, i, 0, first.unwrap_or(0.0)),
        );
        if bars.reference.as_ref().is_some_and(|r| r.category == i) {
            reference(
                svg,
                &geo,
                i,
                bars.reference.as_ref().map_or("", |r| &r.label),
                lo,
                hi,
            );
            continue;
        }
        let mut base = 0.0;
        for (j, s) in bars.series.iter().enumerate() {
            let Some(v) = s.values.get(i).copied().flatten() else {
                continue;
            };
            let color = match &bars.category_colors {
                Some(c) => c[i].as_str(),
                None => s.color.as_str(),
            };
            let (band, vals) = if bars.stacked {
                ((b0, b0 + thick), (base, base + v))
            } else {
                let s0 = b0 + sub * j as f64;
                ((s0, s0 + sub), (0.0, v))
            };
            base += if bars.stacked { v } else { 0.0 };
            geo.bar(svg, band, vals, color, &tooltip(bars, i, j, v));
        }
        whisker(svg, bars, &geo, i);
        label_values(svg, bars, &geo, i, &all[i], sub, thick);
    }
}

fn label_values(
    svg: &mut Svg,
    bars: &Bars,
    geo: &Geo,
    i: usize,
    labels: &[(f64, String)],
    sub: f64,
    thick: f64,
) {
    let hi_whisker = bars.whiskers.as_ref().and_then(|w| w[i].1);
    for (j, (v, text)) in labels.iter().enumerate() {
        if text.is_empty() || (!geo.horizontal && fonts::width(text, 12.5) > geo.band) {
            continue;
        }
        let end = match hi_whisker {
            Some(h) if *v >= 0.0 => v.max(h),
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

fn whisker(svg: &mut Svg, bars: &Bars, geo: &Geo, i: usize) {
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
fn reference(svg: &mut Svg, geo: &Geo, i: usize, label: &str, lo: f64, hi: f64) {
    let zero = geo.value.map(0.0);
    let m = geo.mid(i);
    svg.line(
        geo.at(m - 12.0, zero),
        geo.at(m + 12.0, zero),
        AXIS,
        5.0,
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
fn column_labels(svg: &mut Svg, categories: &[String], geo: &Geo, y: f64) {
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
