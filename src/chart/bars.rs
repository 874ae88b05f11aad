//! Bar charts: grouped or stacked series per category, with optional
//! whiskers, and category labels staggered when they crowd.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::draw::{builder, err, font, legend, text, value_range, Axes, DrawResult, Series};

/// Draws bars per category.
pub(super) fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    axes: &Axes,
    categories: &[String],
    series: &[Series],
    whiskers: Option<&[(Option<f64>, Option<f64>)]>,
    stacked: bool,
) -> DrawResult {
    let per_group = if stacked { 1 } else { series.len().max(1) };
    let slots = (categories.len() * (per_group + 1)) as i32;
    let (ymin, ymax) = bar_range(categories.len(), series, whiskers, stacked);
    let mut chart = builder(area, title, 80, 90)
        .build_cartesian_2d((0..slots).into_segmented(), ymin..ymax)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .x_label_formatter(&|_| String::new())
        .y_desc(axes.y.as_str())
        .x_desc(axes.x.as_str())
        .label_style(font(14))
        .axis_desc_style(font(16))
        .draw()
        .map_err(err)?;
    for (i, _) in categories.iter().enumerate() {
        let mut base = 0.0;
        for (j, (_, values)) in series.iter().enumerate() {
            let Some(v) = values.get(i).copied().flatten() else {
                continue;
            };
            let slot = (i * (per_group + 1) + if stacked { 0 } else { j }) as i32;
            let (y0, y1) = if stacked { (base, base + v) } else { (0.0, v) };
            base += if stacked { v } else { 0.0 };
            let color = Palette99::pick(j).to_rgba();
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [
                        (SegmentValue::Exact(slot), y0),
                        (SegmentValue::Exact(slot + 1), y1),
                    ],
                    color.filled(),
                )))
                .map_err(err)?;
        }
        if let Some(Some((Some(lo), Some(hi)))) = whiskers.map(|w| w.get(i).copied()) {
            let slot = (i * (per_group + 1)) as i32;
            let x = SegmentValue::CenterOf(slot);
            chart
                .draw_series(std::iter::once(ErrorBar::new_vertical(
                    x,
                    lo,
                    (lo + hi) / 2.0,
                    hi,
                    BLACK.stroke_width(2),
                    12,
                )))
                .map_err(err)?;
        }
    }
    // where each category label goes: under its group of bars
    let positions: Vec<(i32, i32, i32)> = (0..categories.len())
        .map(|i| {
            let slot = (i * (per_group + 1)) as i32 + (per_group as i32 - 1) / 2;
            let (x, y) = chart.backend_coord(&(SegmentValue::CenterOf(slot), ymin));
            let x = if per_group % 2 == 0 {
                let (x2, _) = chart.backend_coord(&(SegmentValue::CenterOf(slot + 1), ymin));
                (x + x2) / 2
            } else {
                x
            };
            let (next, _) =
                chart.backend_coord(&(SegmentValue::CenterOf(slot + per_group as i32 + 1), ymin));
            (x, y, (next - x).abs())
        })
        .collect();
    category_labels(area, categories, &positions)?;
    let names: Vec<String> = series.iter().map(|(n, _)| n.clone()).collect();
    let (right, top) = chart.backend_coord(&(SegmentValue::Last, ymax));
    legend(area, &names, (right, top + 12))
}

/// The value range of the bars (and whiskers) to draw.
fn bar_range(
    categories: usize,
    series: &[Series],
    whiskers: Option<&[(Option<f64>, Option<f64>)]>,
    stacked: bool,
) -> (f64, f64) {
    let mut all: Vec<f64> = Vec::new();
    for i in 0..categories {
        let values = series
            .iter()
            .filter_map(|(_, v)| v.get(i).copied().flatten());
        if stacked {
            all.push(values.sum());
        } else {
            all.extend(values);
        }
    }
    if let Some(w) = whiskers {
        all.extend(w.iter().flat_map(|(l, h)| [*l, *h]).flatten());
    }
    value_range(all.into_iter())
}

/// Category labels at (x, y, room to the next category); labels wider than
/// that room are staggered.
fn category_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    categories: &[String],
    positions: &[(i32, i32, i32)],
) -> DrawResult {
    let longest = categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0) as i32;
    for (i, (label, &(x, y, room))) in categories.iter().zip(positions).enumerate() {
        let crowded = longest * 7 > room;
        let dy = if crowded && i % 2 == 1 { 26 } else { 8 };
        text(
            area,
            label,
            (x, y + dy),
            13,
            Pos::new(HPos::Center, VPos::Top),
        )?;
    }
    Ok(())
}
