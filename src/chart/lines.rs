//! Line charts: one or more panels stacked on a shared x axis (e.g.
//! requests per day above the interest rate per day), one line per series
//! in its palette colour, points carrying tooltips, the legend to the
//! right of the plots.

use super::draw::{
    legend, legend_width, range, title, unit_title, value_axis, Linear, Meta, HEIGHT, MARGIN,
    MUTED, TOP, WIDTH,
};
use super::fonts;
use super::order::short;
use super::spec::{Axes, Lines, Panel};
use super::svg::{Anchor, Style, Svg};
use super::units::{format, Scale};

/// The SVG of a line chart.
pub(super) fn chart(meta: &Meta<'_>, axes: &Axes, lines: &Lines) -> String {
    let k = lines.panels.len();
    let height = if k > 1 {
        HEIGHT + 200.0 * (k - 1) as f64
    } else {
        HEIGHT
    };
    let mut svg = Svg::new(WIDTH, height, meta.id, meta.title, meta.desc);
    title(&mut svg, meta.title);
    let names: Vec<&str> = lines.panels[0]
        .series
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    let lgw = legend_width(&names);
    let left = MARGIN + 86.0;
    let right = WIDTH - MARGIN - if lgw > 0.0 { lgw + 20.0 } else { 10.0 };
    let top = TOP + 10.0;
    let bottom = height - 64.0;
    let gap = 34.0;
    let ph = (bottom - top - gap * (k - 1) as f64) / k as f64;
    let n = lines.xs.len();
    let x = Linear {
        d0: 0.0,
        d1: (n.max(2) - 1) as f64,
        p0: left + if n == 1 { (right - left) / 2.0 } else { 8.0 },
        p1: right - 8.0,
    };
    for (i, panel) in lines.panels.iter().enumerate() {
        let y0 = top + i as f64 * (ph + gap);
        draw_panel(&mut svg, lines, panel, &x, (left, y0, right, y0 + ph));
    }
    let widest = lines
        .xs
        .iter()
        .map(|v| fonts::width(&short(v), 12.0))
        .fold(0.0, f64::max);
    let step = if n > 1 {
        (x.p1 - x.p0) / (n - 1) as f64
    } else {
        1.0
    };
    let every = ((widest + 14.0) / step).ceil().max(1.0) as usize;
    for (i, v) in lines.xs.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let label = short(v);
        svg.text(
            (x.map(i as f64), bottom + 14.0),
            &label,
            Style::new(12.0, Anchor::Middle).color(MUTED),
        );
    }
    svg.text(
        ((left + right) / 2.0, bottom + 40.0),
        &axes.x,
        Style::new(13.5, Anchor::Middle).color(MUTED),
    );
    if lgw > 0.0 {
        let items: Vec<(&str, &str)> = lines.panels[0]
            .series
            .iter()
            .map(|s| (s.name.as_str(), s.color.as_str()))
            .collect();
        legend(&mut svg, &items, WIDTH - MARGIN - lgw, top + 4.0, lgw);
    }
    svg.finish()
}

fn draw_panel(svg: &mut Svg, lines: &Lines, panel: &Panel, x: &Linear, rect: (f64, f64, f64, f64)) {
    let (x0, y0, x1, y1) = rect;
    let (lo, hi) = range(
        panel
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied()),
    );
    let hi = hi + (hi - lo) * 0.06;
    let y = Linear {
        d0: lo,
        d1: hi,
        p0: y1,
        p1: y0,
    };
    let scale = Scale::for_axis(panel.unit, lo.abs().max(hi.abs()));
    value_axis(svg, &scale, &y, false, x0, (x0, x1), 5);
    let label = fonts::fit(&unit_title(&panel.label, &scale), 13.5, y1 - y0);
    svg.text(
        (MARGIN, (y0 + y1) / 2.0),
        &label,
        Style::new(13.5, Anchor::Middle).color(MUTED).vertical(),
    );
    let n = lines.xs.len();
    let r = if n > 60 { 1.8 } else { 3.2 };
    for s in &panel.series {
        // a gap in the data breaks the line
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (i, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => run.push((x.map(i as f64), y.map(*v))),
                None => flush(svg, &mut run, &s.color),
            }
        }
        flush(svg, &mut run, &s.color);
        for (i, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                let tip = format!("{} · {}: {}", lines.xs[i], s.name, format(panel.unit, *v));
                svg.circle((x.map(i as f64), y.map(*v)), r, &s.color, Some(&tip));
            }
        }
    }
}

fn flush(svg: &mut Svg, run: &mut Vec<(f64, f64)>, color: &str) {
    if run.len() > 1 {
        svg.polyline(run, color, 2.2);
    }
    run.clear();
}
