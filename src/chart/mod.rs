//! Stage 7: charts. A report's header says which chart to draw and which
//! columns go where (`chart`, `x`, `y`, `series`, `value`, `low`, `high`,
//! `n`, units, labels; see `build.rs`); this module turns its rows into a
//! [`Spec`], writes it as accessible SVG (`svg.rs`, one file per chart
//! kind) and rasterises that SVG to PNG with embedded fonts and real text
//! shaping (`raster.rs`, `fonts.rs`).
//!
//! The caller passes a [`Context`]: the zone named in axis titles
//! (`{tz}` in a header label) and the [`Palette`] that gives every
//! configuration the same colour in every chart.

mod bar_parts;
mod bars;
mod build;
pub mod draw;
pub mod fonts;
mod heatmap;
mod lines;
pub mod markup;
pub mod order;
pub mod page;
pub mod palette;
pub mod raster;
pub mod spec;
pub mod svg;
pub mod units;

use std::path::Path;

use crate::report::definition::Report;
use crate::report::table::Table;

pub use draw::Meta;
pub use palette::Palette;
pub use spec::{Axes, Spec};
pub use units::Unit;

/// Chart size in SVG pixels (bar charts with many categories are taller;
/// the PNG has [`raster::PNG_SCALE`] pixels per SVG pixel).
pub const SIZE: (u32, u32) = (draw::WIDTH as u32, draw::HEIGHT as u32);

/// What the caller knows that the report does not: the zone and the
/// colours of configurations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    /// Zone name for `{tz}` in labels (e.g. "Asia/Kolkata"); UTC if None.
    pub tz: Option<String>,
    /// Colours per configuration, built from all names in a stable order;
    /// without one, colours follow the order within each chart.
    pub palette: Option<Palette>,
}

impl Context {
    /// A context for zone `tz` and `palette`.
    pub fn new(tz: impl Into<String>, palette: Option<Palette>) -> Context {
        Context {
            tz: Some(tz.into()),
            palette,
        }
    }

    /// The zone name labels carry.
    pub fn zone(&self) -> &str {
        self.tz.as_deref().unwrap_or("UTC")
    }
}

/// The chart a report asks for, or why it cannot be drawn (zone UTC, no
/// palette: see [`spec_for_with`]).
pub fn spec_for(report: &Report, table: &Table) -> Result<Option<(Spec, Axes)>, String> {
    spec_for_with(report, table, &Context::default())
}

/// The chart a report asks for with the caller's zone and palette, or why
/// it cannot be drawn.
pub fn spec_for_with(
    report: &Report,
    table: &Table,
    ctx: &Context,
) -> Result<Option<(Spec, Axes)>, String> {
    let Some(kind) = report.get("chart") else {
        return Ok(None);
    };
    build::Header::new(report, table, ctx).spec(kind).map(Some)
}

/// The chart's SVG text (accessible, escaped, self-contained).
pub fn svg(report: &Report, spec: &Spec, axes: &Axes) -> String {
    let meta = Meta {
        title: report.title(),
        desc: report.get("description").unwrap_or_default(),
        id: &report.name,
    };
    draw::draw(&meta, axes, spec)
}

/// Writes `<name>.svg` and `<name>.png` into `dir` and returns the SVG
/// text (for the page).
pub fn render(report: &Report, spec: &Spec, axes: &Axes, dir: &Path) -> Result<String, String> {
    let svg = svg(report, spec, axes);
    std::fs::write(dir.join(format!("{}.svg", report.name)), &svg).map_err(|e| e.to_string())?;
    let png = raster::png(&svg, raster::PNG_SCALE)?;
    std::fs::write(dir.join(format!("{}.png", report.name)), png).map_err(|e| e.to_string())?;
    Ok(svg)
}

#[cfg(test)]
mod tests;
