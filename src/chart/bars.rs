//! Bar charts: one or more panels of bars per category sharing the
//! category labels, each panel with its own value scale. Text categories
//! (configuration names, however long) are drawn as horizontal bars with
//! their names on the left; numeric categories (run ids) as columns.
//! Bars start at zero and carry their value (and n) as a label.

use super::bar_parts::{
    category_labels, column_labels, label_values, labels, reference, tooltip, whisker, Geo,
};
use super::draw::{
    legend, legend_width, range, title, unit_title, value_axis, Linear, Meta, AXIS, HEIGHT, MARGIN,
    MUTED, TOP, WIDTH,
};
use super::fonts;
use super::spec::{Axes, Bars};
use super::svg::{Anchor, Style, Svg};
use super::units::{format, Scale};

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
    let plain = |v: f64| format(bars.unit, v);
    let first: Vec<Vec<(f64, String)>> =
        (0..n).map(|i| labels(bars, i, n_inline, &plain)).collect();
    let whisker_ends = bars
        .whiskers
        .iter()
        .flatten()
        .flat_map(|(l, h)| [*l, *h])
        .flatten();
    let (lo, hi) = range(first.iter().flatten().map(|(v, _)| *v).chain(whisker_ends));
    // value labels in the axis' unit (61 s and 59 s, not 1.0 min and 59 s)
    let scale = Scale::for_axis(bars.unit, lo.abs().max(hi.abs()));
    let in_scale = |v: f64| scale.label(v);
    let all: Vec<Vec<(f64, String)>> = (0..n)
        .map(|i| labels(bars, i, n_inline, &in_scale))
        .collect();
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
        if let Some(r) = bars.references.iter().find(|r| r.category == i) {
            let color = bars
                .category_colors
                .as_ref()
                .map_or(AXIS, |c| c[i].as_str());
            reference(svg, &geo, i, (r.label.as_str(), color), (lo, hi));
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
