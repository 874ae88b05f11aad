//! Drawing the three chart shapes (bars, heatmap, lines) on any plotters
//! backend: the same code writes the SVG and the PNG.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::bars::bars;
use super::fonts::{fit, LATIN_FAMILY};

/// A named series of values, one per category or x position.
pub type Series = (String, Vec<Option<f64>>);

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    /// Bars per category; several series side by side or stacked, with
    /// optional whiskers (low, high) for a single series.
    Bars {
        /// Category labels.
        categories: Vec<String>,
        /// (series name, value per category).
        series: Vec<Series>,
        /// Interval per category (single series only).
        whiskers: Option<Vec<(Option<f64>, Option<f64>)>>,
        /// Stack the series instead of grouping them.
        stacked: bool,
    },
    /// A grid of cells coloured by value.
    Heatmap {
        /// Column labels.
        xs: Vec<String>,
        /// Row labels.
        ys: Vec<String>,
        /// values[y][x].
        values: Vec<Vec<f64>>,
    },
    /// Side-by-side charts, each with its own scale (name, chart).
    Panels(Vec<(String, Spec)>),
    /// One line per series over ordered x labels.
    Lines {
        /// X labels in order.
        xs: Vec<String>,
        /// (series name, value per x).
        series: Vec<Series>,
    },
}

/// Axis descriptions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Axes {
    /// Below the x axis.
    pub x: String,
    /// Beside the y axis.
    pub y: String,
}

pub(super) type DrawResult = Result<(), String>;

pub(super) fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

pub(super) fn font(size: u32) -> TextStyle<'static> {
    (LATIN_FAMILY, size).into_font().color(&BLACK)
}

pub(super) fn text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    label: &str,
    at: (i32, i32),
    size: u32,
    pos: Pos,
) -> DrawResult {
    let (family, label) = fit(label);
    let style = (family, size).into_font().color(&BLACK).pos(pos);
    // `at` is in backend pixels; the area may be a panel of the backend
    let (bx, by) = area.get_base_pixel();
    area.draw(&Text::new(label, (at.0 - bx, at.1 - by), style))
        .map_err(err)
}

fn empty<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, title: &str) -> DrawResult {
    let (w, h) = area.dim_in_pixel();
    text(
        area,
        title,
        (w as i32 / 2, 30),
        22,
        Pos::new(HPos::Center, VPos::Center),
    )?;
    text(
        area,
        "no data for these filters",
        (w as i32 / 2, h as i32 / 2),
        18,
        Pos::new(HPos::Center, VPos::Center),
    )
}

pub(super) fn value_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi - lo < 1e-12 {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.08;
    (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad)
}

pub(super) fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    names: &[String],
    at: (i32, i32),
) -> DrawResult {
    if names.len() < 2 {
        return Ok(());
    }
    for (i, name) in names.iter().enumerate() {
        let y = at.1 + 20 * i as i32;
        let color = Palette99::pick(i).to_rgba();
        area.draw(&Rectangle::new(
            [(at.0 - 150, y - 6), (at.0 - 138, y + 6)],
            color.filled(),
        ))
        .map_err(err)?;
        text(
            area,
            name,
            (at.0 - 132, y),
            14,
            Pos::new(HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}

/// Draws `spec` with `title` on `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    axes: &Axes,
    spec: &Spec,
) -> DrawResult {
    area.fill(&WHITE).map_err(err)?;
    match spec {
        Spec::Bars { categories, .. } | Spec::Lines { xs: categories, .. }
            if categories.is_empty() =>
        {
            empty(area, title)
        }
        Spec::Heatmap { xs, ys, .. } if xs.is_empty() || ys.is_empty() => empty(area, title),
        Spec::Bars {
            categories,
            series,
            whiskers,
            stacked,
        } => bars(
            area,
            title,
            axes,
            categories,
            series,
            whiskers.as_deref(),
            *stacked,
        ),
        Spec::Heatmap { xs, ys, values } => heatmap(area, title, axes, xs, ys, values),
        Spec::Lines { xs, series } => lines(area, title, axes, xs, series),
        Spec::Panels(panels) if panels.is_empty() => empty(area, title),
        Spec::Panels(panels) => {
            let (head, body) = area.split_vertically(44);
            let (w, _) = head.dim_in_pixel();
            text(
                &head,
                title,
                (w as i32 / 2, 24),
                22,
                Pos::new(HPos::Center, VPos::Center),
            )?;
            for (part, (name, spec)) in body.split_evenly((1, panels.len())).iter().zip(panels) {
                draw(part, name, axes, spec)?;
            }
            Ok(())
        }
    }
}

/// A chart builder with the common caption, margin and label areas.
pub(super) fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    x_area: u32,
    y_area: u32,
) -> ChartBuilder<'a, 'b, DB> {
    let (_, title_text) = fit(title);
    let mut b = ChartBuilder::on(area);
    b.caption(title_text, font(22))
        .margin(20)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area);
    b
}

fn heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    axes: &Axes,
    xs: &[String],
    ys: &[String],
    values: &[Vec<f64>],
) -> DrawResult {
    let max = values
        .iter()
        .flatten()
        .copied()
        .fold(0.0f64, f64::max)
        .max(1e-12);
    let title = format!("{title} (darkest = {max})");
    let mut chart = builder(area, &title, 60, 110)
        .build_cartesian_2d(
            (0..xs.len() as i32).into_segmented(),
            (0..ys.len() as i32).into_segmented(),
        )
        .map_err(err)?;
    let x_label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) => xs.get(*i as usize).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    let y_label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) => ys.get(*i as usize).map(|s| fit(s).1).unwrap_or_default(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(xs.len())
        .y_labels(ys.len())
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .x_desc(axes.x.as_str())
        .y_desc(axes.y.as_str())
        .label_style(font(13))
        .axis_desc_style(font(16))
        .draw()
        .map_err(err)?;
    for (yi, row) in values.iter().enumerate() {
        for (xi, v) in row.iter().enumerate() {
            let t = (v / max).clamp(0.0, 1.0);
            let shade = |full: f64| (255.0 - (255.0 - full) * t) as u8;
            let color = RGBColor(shade(8.0), shade(69.0), shade(148.0));
            let (x, y) = (xi as i32, yi as i32);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [
                        (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                        (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
                    ],
                    color.filled(),
                )))
                .map_err(err)?;
        }
    }
    Ok(())
}

fn lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    axes: &Axes,
    xs: &[String],
    series: &[Series],
) -> DrawResult {
    let (ymin, ymax) = value_range(series.iter().flat_map(|(_, v)| v.iter().flatten().copied()));
    let last = (xs.len() as i32 - 1).max(1);
    let mut chart = builder(area, title, 60, 90)
        .build_cartesian_2d(0..last, ymin..ymax)
        .map_err(err)?;
    let x_label = |i: &i32| xs.get(*i as usize).cloned().unwrap_or_default();
    chart
        .configure_mesh()
        .x_labels(xs.len().min(8))
        .x_label_formatter(&x_label)
        .x_desc(axes.x.as_str())
        .y_desc(axes.y.as_str())
        .label_style(font(13))
        .axis_desc_style(font(16))
        .draw()
        .map_err(err)?;
    for (j, (_, values)) in series.iter().enumerate() {
        let color = Palette99::pick(j).to_rgba();
        let points: Vec<(i32, f64)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i as i32, v)))
            .collect();
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(err)?;
    }
    let names: Vec<String> = series.iter().map(|(n, _)| n.clone()).collect();
    let (right, top) = chart.backend_coord(&(last, ymax));
    legend(area, &names, (right, top + 12))
}
