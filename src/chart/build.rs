//! A report's header and rows -> the chart to draw. Header keys: `chart`
//! (bars, stacked, percentile_bars, heatmap, lines), `x`, `y`, `series`,
//! `value`, `low`, `high`, `x_label`, `y_label`; units `y_unit`,
//! `value_unit`, `y2_unit`, `reference_unit` (see [`Unit`]); `n` (the
//! column counting what is behind each bar); `color: x` (bars coloured by
//! category, e.g. per configuration); `reference` + `reference_value`
//! (the column naming the category the others are compared with, and its
//! value); `y2` + `y2_label` (a second line panel); `series_names`
//! (`raw = shown; …`). `{tz}` in a label is replaced by the zone.

use std::collections::HashMap;

use super::order;
use super::palette::Palette;
use super::spec::{Axes, Bars, Counts, Heatmap, Lines, Panel, Reference, Series, Spec};
use super::units::{format, Unit};
use super::Context;
use crate::report::definition::Report;
use crate::report::table::Table;

/// A report header read for one table.
pub(super) struct Header<'a> {
    report: &'a Report,
    table: &'a Table,
    ctx: &'a Context,
}

impl<'a> Header<'a> {
    pub(super) fn new(report: &'a Report, table: &'a Table, ctx: &'a Context) -> Self {
        Header { report, table, ctx }
    }

    /// The result column a header key names.
    fn column(&self, key: &str) -> Result<usize, String> {
        let name = self
            .report
            .get(key)
            .ok_or_else(|| format!("header has no `{key}:`"))?;
        self.table
            .column(name.trim())
            .ok_or_else(|| format!("`{key}: {name}` is not a column of the result"))
    }

    /// The column of an optional key.
    fn optional(&self, key: &str) -> Result<Option<usize>, String> {
        self.report.get(key).map(|_| self.column(key)).transpose()
    }

    fn unit(&self, key: &str) -> Result<Unit, String> {
        Unit::parse(self.report.get(key).unwrap_or_default())
    }

    /// A label with `{tz}` replaced by the zone.
    pub(super) fn label(&self, text: &str) -> String {
        text.replace("{tz}", self.ctx.zone())
    }

    /// The name a series is shown under (`series_names: raw = shown; …`).
    fn series_name(&self, raw: &str) -> String {
        let names = self.report.get("series_names").unwrap_or_default();
        names
            .split(';')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| k.trim() == raw)
            .map_or(raw.to_string(), |(_, v)| v.trim().to_string())
    }

    fn colors(&self, names: &[String]) -> Vec<String> {
        Palette::colors_for(self.ctx.palette.as_ref(), names)
    }

    /// The chart and its axis titles.
    pub(super) fn spec(&self, kind: &str) -> Result<(Spec, Axes), String> {
        let x = self.column("x")?;
        let y_names: Vec<&str> = self
            .report
            .get("y")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .collect();
        let axes = Axes {
            x: self.label(self.report.get("x_label").unwrap_or(&self.table.columns[x])),
            y: self.label(self.report.get("y_label").unwrap_or(y_names[0])),
            value: self.label(
                self.report
                    .get("value_label")
                    .or(self.report.get("value"))
                    .unwrap_or_default(),
            ),
        };
        let spec = match kind {
            "percentile_bars" => self.panels(x)?,
            "bars" | "stacked" => Spec::Bars(self.bars(x, &y_names, kind == "stacked")?),
            "heatmap" => self.heatmap(x)?,
            "lines" => self.lines(x, &axes.y)?,
            other => {
                return Err(format!(
                    "unknown chart kind `{other}` (bars, stacked, percentile_bars, heatmap, lines)"
                ))
            }
        };
        Ok((spec, axes))
    }

    fn counts(&self, rows: Option<&[usize]>) -> Result<Option<Counts>, String> {
        Ok(self.optional("n")?.map(|i| {
            let all = self.table.numbers(i);
            Counts {
                name: self.table.columns[i].clone(),
                values: match rows {
                    Some(rows) => rows.iter().map(|&r| all[r]).collect(),
                    None => all,
                },
            }
        }))
    }

    fn bars(&self, x: usize, y_names: &[&str], stacked: bool) -> Result<Bars, String> {
        let unit = self.unit("y_unit")?;
        if self.report.get("series").is_some() {
            let (categories, series) = self.pivot(x, self.column("series")?, self.column("y")?);
            return Ok(self.finish_bars(categories, series, None, stacked, unit, None));
        }
        let mut names = Vec::new();
        let mut values = Vec::new();
        for name in y_names {
            let i = self
                .table
                .column(name)
                .ok_or_else(|| format!("`y: {name}` is not a column"))?;
            names.push(self.series_name(name));
            values.push(self.table.numbers(i));
        }
        let whiskers = match (self.optional("low")?, self.optional("high")?) {
            (Some(lo), Some(hi)) => {
                let (lo, hi) = (self.table.numbers(lo), self.table.numbers(hi));
                Some(lo.into_iter().zip(hi).collect())
            }
            _ => None,
        };
        let series = self.series(names, values);
        let categories = self.table.texts(x);
        let counts = self.counts(None)?;
        let mut bars = self.finish_bars(categories, series, whiskers, stacked, unit, counts);
        bars.references = self.references(&bars.categories)?;
        Ok(bars)
    }

    fn series(&self, names: Vec<String>, values: Vec<Vec<Option<f64>>>) -> Vec<Series> {
        let colors = self.colors(&names);
        names
            .into_iter()
            .zip(values)
            .zip(colors)
            .map(|((name, values), color)| Series {
                name,
                values,
                color,
            })
            .collect()
    }

    fn finish_bars(
        &self,
        categories: Vec<String>,
        series: Vec<Series>,
        whiskers: Option<Vec<(Option<f64>, Option<f64>)>>,
        stacked: bool,
        unit: Unit,
        counts: Option<Counts>,
    ) -> Bars {
        Bars {
            category_colors: self.category_colors(&categories),
            categories,
            series,
            whiskers,
            stacked,
            unit,
            counts,
            references: Vec::new(),
        }
    }

    /// Bar colours per category under the `color` header: `x` colours
    /// each category as its name; a column name colours each row's bar as
    /// that column's value (a configuration keeps its colour when the
    /// category also names its business), when each row is one category.
    fn category_colors(&self, categories: &[String]) -> Option<Vec<String>> {
        match self.report.get("color").map(str::trim)? {
            "x" => Some(self.colors(categories)),
            name => {
                let col = self.table.columns.iter().position(|c| c == name)?;
                let names = self.table.texts(col);
                (names.len() == categories.len()).then(|| self.colors(&names))
            }
        }
    }

    /// The categories named by their own row's `reference` column (the
    /// row of each group's leader), labelled with that row's
    /// `reference_value`.
    fn references(&self, categories: &[String]) -> Result<Vec<Reference>, String> {
        let Some(col) = self.optional("reference")? else {
            return Ok(Vec::new());
        };
        let values = match self.optional("reference_value")? {
            Some(v) => self.table.numbers(v),
            None => vec![None; self.table.rows.len()],
        };
        let unit = self.unit("reference_unit")?;
        let mut out = Vec::new();
        for (row, value) in self.table.rows.iter().zip(values) {
            let Some(category) = categories.iter().position(|c| *c == row[col]) else {
                continue;
            };
            if out.iter().any(|r: &Reference| r.category == category) {
                continue;
            }
            let label = match value {
                Some(v) => format!("best: {}", format(unit, v)),
                None => "best".to_string(),
            };
            out.push(Reference { category, label });
        }
        Ok(out)
    }

    /// One panel per series (their scales differ: days vs seconds).
    fn panels(&self, x: usize) -> Result<Spec, String> {
        let (series_col, y) = (self.column("series")?, self.column("y")?);
        let unit = self.unit("y_unit")?;
        let (categories, series) = self.pivot(x, series_col, y);
        let xs = self.table.texts(x);
        let ss = self.table.texts(series_col);
        let mut panels = Vec::new();
        for s in series {
            // n of this series' rows, in category order
            let rows: Vec<usize> = categories
                .iter()
                .filter_map(|c| (0..xs.len()).find(|&i| &xs[i] == c && ss[i] == s.name))
                .collect();
            let counts = if rows.len() == categories.len() {
                self.counts(Some(&rows))?
            } else {
                None
            };
            let title = self.series_name(&s.name);
            let bars = self.finish_bars(categories.clone(), vec![s], None, false, unit, counts);
            panels.push((title, bars));
        }
        Ok(Spec::Panels(panels))
    }

    /// `value` by (`x`, `series`), categories and series in order of
    /// appearance.
    fn pivot(&self, x: usize, series: usize, value: usize) -> (Vec<String>, Vec<Series>) {
        let (xs, ss, vs) = (
            self.table.texts(x),
            self.table.texts(series),
            self.table.numbers(value),
        );
        let cats = order::unique(&xs);
        let names = order::unique(&ss);
        let values = grid(&xs, &ss, &vs, &cats, &names);
        let colors = self.colors(&names);
        let series = names
            .into_iter()
            .zip(values)
            .zip(colors)
            .map(|((name, values), color)| Series {
                name,
                values,
                color,
            })
            .collect();
        (cats, series)
    }

    fn heatmap(&self, x: usize) -> Result<Spec, String> {
        let (y, value) = (self.column("y")?, self.column("value")?);
        let (xs_t, ys_t, vs) = (
            self.table.texts(x),
            self.table.texts(y),
            self.table.numbers(value),
        );
        let hours = |c: usize| self.table.columns[c].contains("hour");
        let xs = order::axis(&xs_t, hours(x));
        let ys = order::axis(&ys_t, hours(y));
        let values = grid(&xs_t, &ys_t, &vs, &xs, &ys);
        Ok(Spec::Heatmap(Heatmap {
            xs,
            ys,
            values,
            unit: self.unit("value_unit")?,
        }))
    }

    fn lines(&self, x: usize, y_label: &str) -> Result<Spec, String> {
        let xs = order::axis(&self.table.texts(x), false);
        let mut panels = vec![self.panel(x, "y", y_label, self.unit("y_unit")?, &xs)?];
        if self.report.get("y2").is_some() {
            let label = self.label(self.report.get("y2_label").unwrap_or_default());
            panels.push(self.panel(x, "y2", &label, self.unit("y2_unit")?, &xs)?);
        }
        Ok(Spec::Lines(Lines { xs, panels }))
    }

    /// One line panel of column `key` over `xs`; missing counts are 0.
    fn panel(
        &self,
        x: usize,
        key: &str,
        label: &str,
        unit: Unit,
        xs: &[String],
    ) -> Result<Panel, String> {
        let y = self.column(key)?;
        let (cats, mut series) = match self.optional("series")? {
            Some(s) => self.pivot(x, s, y),
            None => {
                let name = self.table.columns[y].clone();
                let values = self.table.numbers(y);
                let series = self.series(vec![name], vec![values]);
                (self.table.texts(x), series)
            }
        };
        // `<key>_n` + `<key>_min_n`: points resting on fewer observations
        // are not drawn (a rate of 1 request out of 1 is no trend)
        let min_n = self.report.get(&format!("{key}_min_n"));
        if let (Some(n_col), Some(min)) = (self.optional(&format!("{key}_n"))?, min_n) {
            let min: f64 = min
                .parse()
                .map_err(|_| format!("{key}_min_n: expected a number, got {min:?}"))?;
            let counts = match self.optional("series")? {
                Some(s) => self.pivot(x, s, n_col).1,
                None => {
                    let name = self.table.columns[n_col].clone();
                    self.series(vec![name], vec![self.table.numbers(n_col)])
                }
            };
            for (s, n) in series.iter_mut().zip(&counts) {
                for (v, n) in s.values.iter_mut().zip(&n.values) {
                    if n.is_none_or(|n| n < min) {
                        *v = None;
                    }
                }
            }
        }
        let series = series
            .into_iter()
            .map(|s| Series {
                values: xs
                    .iter()
                    .map(|x| match cats.iter().position(|c| c == x) {
                        Some(i) => s.values[i],
                        None if unit == Unit::Count => Some(0.0),
                        None => None,
                    })
                    .collect(),
                ..s
            })
            .collect();
        Ok(Panel {
            label: label.to_string(),
            series,
            unit,
        })
    }
}

/// Values `vs` laid out as one row per `rows` entry and one column per
/// `cols` entry, row `i` of the data sitting at (`col_of[i]`, `row_of[i]`);
/// the first data row for a cell wins. One pass over the data.
fn grid(
    col_of: &[String],
    row_of: &[String],
    vs: &[Option<f64>],
    cols: &[String],
    rows: &[String],
) -> Vec<Vec<Option<f64>>> {
    let mut at: HashMap<(&str, &str), Option<f64>> = HashMap::with_capacity(vs.len());
    for ((c, r), v) in col_of.iter().zip(row_of).zip(vs) {
        at.entry((c.as_str(), r.as_str())).or_insert(*v);
    }
    rows.iter()
        .map(|r| {
            cols.iter()
                .map(|c| at.get(&(c.as_str(), r.as_str())).copied().flatten())
                .collect()
        })
        .collect()
}
