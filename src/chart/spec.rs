//! What a chart shows, independent of how it is drawn: categories,
//! series with their colours, units, n per bar, the reference a
//! comparison is against, panels.

use super::units::Unit;

/// A named series with its colour and one value per category or x.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Series name as shown in the legend.
    pub name: String,
    /// One value per category or x position.
    pub values: Vec<Option<f64>>,
    /// Fill or stroke colour (`#rrggbb`).
    pub color: String,
}

/// The number of observations behind each bar ("n = 1,234").
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    /// What is counted (the column name, e.g. `requests`).
    pub name: String,
    /// One count per category.
    pub values: Vec<Option<f64>>,
}

/// The category every other one is compared with (drawn at zero and
/// labelled instead of as a bar).
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Index of the reference category.
    pub category: usize,
    /// Its label, e.g. "best: 54.3%".
    pub label: String,
}

/// Bars per category.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    /// Category labels, in drawing order.
    pub categories: Vec<String>,
    /// Colour per category when bars are coloured by category (a single
    /// series of configurations); otherwise series colours are used.
    pub category_colors: Option<Vec<String>>,
    /// The series; grouped side by side or stacked.
    pub series: Vec<Series>,
    /// Interval per category (single series only).
    pub whiskers: Option<Vec<(Option<f64>, Option<f64>)>>,
    /// Stack the series instead of grouping them.
    pub stacked: bool,
    /// Unit of the values.
    pub unit: Unit,
    /// n per category, if the table has one.
    pub counts: Option<Counts>,
    /// The categories the others are compared with (one per group, e.g.
    /// the leader of each business).
    pub references: Vec<Reference>,
}

/// A grid of cells coloured by value.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    /// Column labels.
    pub xs: Vec<String>,
    /// Row labels.
    pub ys: Vec<String>,
    /// values[y][x]; None where the table has no row.
    pub values: Vec<Vec<Option<f64>>>,
    /// Unit of the values.
    pub unit: Unit,
}

/// One panel of a line chart: its own value axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Title of the value axis.
    pub label: String,
    /// The lines.
    pub series: Vec<Series>,
    /// Unit of the values.
    pub unit: Unit,
}

/// Lines over ordered x labels, in one or more panels stacked on a shared
/// x axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Lines {
    /// X labels in order.
    pub xs: Vec<String>,
    /// The panels, top to bottom.
    pub panels: Vec<Panel>,
}

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    /// Bars per category.
    Bars(Bars),
    /// Bar charts side by side sharing categories, each with its own
    /// scale (panel title, chart).
    Panels(Vec<(String, Bars)>),
    /// A grid of cells coloured by value.
    Heatmap(Heatmap),
    /// Lines in stacked panels.
    Lines(Lines),
}

/// Axis titles, with the zone already filled in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Axes {
    /// The category or x axis.
    pub x: String,
    /// The value (or heatmap row) axis.
    pub y: String,
    /// What a heatmap's colours mean (its colour scale title).
    pub value: String,
}

impl Spec {
    /// True when there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        match self {
            Spec::Bars(b) => b.categories.is_empty(),
            Spec::Panels(p) => p.iter().all(|(_, b)| b.categories.is_empty()),
            Spec::Heatmap(h) => h.xs.is_empty() || h.ys.is_empty(),
            Spec::Lines(l) => l.xs.is_empty() || l.panels.is_empty(),
        }
    }
}
