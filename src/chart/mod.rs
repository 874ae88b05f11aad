//! Stage 7: charts. A report's header says which chart to draw and which
//! columns go where (`chart`, `x`, `y`, `series`, `value`, `low`, `high`,
//! `x_label`, `y_label`); this module turns its rows into a [`draw::Spec`]
//! and renders it as SVG and PNG with embedded fonts.

mod bars;
pub mod draw;
pub mod fonts;
pub mod html;

use std::path::Path;

use plotters::prelude::{BitMapBackend, IntoDrawingArea, SVGBackend};

use crate::report::definition::Report;
use crate::report::table::Table;
use draw::{Axes, Series, Spec};

/// Chart size in pixels.
pub const SIZE: (u32, u32) = (1000, 560);

fn unique(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

/// Pivots `value` by (`x`, `series`) in order of appearance.
fn pivot(table: &Table, x: usize, series: usize, value: usize) -> (Vec<String>, Vec<Series>) {
    let xs = table.texts(x);
    let ss = table.texts(series);
    let vs = table.numbers(value);
    let cats = unique(&xs);
    let names = unique(&ss);
    let series = names
        .iter()
        .map(|name| {
            let values = cats
                .iter()
                .map(|c| {
                    (0..xs.len())
                        .find(|&i| &xs[i] == c && &ss[i] == name)
                        .and_then(|i| vs[i])
                })
                .collect();
            (name.clone(), values)
        })
        .collect();
    (cats, series)
}

/// The chart a report asks for, or why it cannot be drawn.
pub fn spec_for(report: &Report, table: &Table) -> Result<Option<(Spec, Axes)>, String> {
    let Some(kind) = report.get("chart") else {
        return Ok(None);
    };
    let x = column_of(report, table, "x")?;
    let y_names: Vec<&str> = report
        .get("y")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .collect();
    let axes = Axes {
        x: report
            .get("x_label")
            .unwrap_or(&table.columns[x])
            .to_string(),
        y: report.get("y_label").unwrap_or(y_names[0]).to_string(),
    };
    let col = |key: &str| column_of(report, table, key);
    let spec = match kind {
        "percentile_bars" => panels_spec(table, x, col("series")?, col("y")?),
        "bars" | "stacked" => bars_spec(report, table, x, &y_names, kind == "stacked")?,
        "heatmap" => heatmap_spec(table, x, col("y")?, col("value")?),
        "lines" => {
            let series = report.get("series").map(|_| col("series")).transpose()?;
            lines_spec(table, x, series, col("y")?)
        }
        other => {
            return Err(format!(
                "unknown chart kind `{other}` (bars, stacked, percentile_bars, heatmap, lines)"
            ))
        }
    };
    Ok(Some((spec, axes)))
}

/// The result column a header key names.
fn column_of(report: &Report, table: &Table, key: &str) -> Result<usize, String> {
    let name = report
        .get(key)
        .ok_or_else(|| format!("header has no `{key}:`"))?;
    table
        .column(name.trim())
        .ok_or_else(|| format!("`{key}: {name}` is not a column of the result"))
}

/// One panel per series: their scales differ (days vs seconds).
fn panels_spec(table: &Table, x: usize, series: usize, y: usize) -> Spec {
    let (categories, series) = pivot(table, x, series, y);
    Spec::Panels(
        series
            .into_iter()
            .map(|(name, values)| {
                let spec = Spec::Bars {
                    categories: categories.clone(),
                    series: vec![(name.clone(), values)],
                    whiskers: None,
                    stacked: false,
                };
                (name, spec)
            })
            .collect(),
    )
}

fn bars_spec(
    report: &Report,
    table: &Table,
    x: usize,
    y_names: &[&str],
    stacked: bool,
) -> Result<Spec, String> {
    let col = |key: &str| column_of(report, table, key);
    if report.get("series").is_some() {
        let (categories, series) = pivot(table, x, col("series")?, col("y")?);
        return Ok(Spec::Bars {
            categories,
            series,
            whiskers: None,
            stacked,
        });
    }
    let mut series = Vec::new();
    for name in y_names {
        let i = table
            .column(name)
            .ok_or_else(|| format!("`y: {name}` is not a column"))?;
        series.push((name.to_string(), table.numbers(i)));
    }
    let whiskers = match (report.get("low"), report.get("high")) {
        (Some(_), Some(_)) => {
            let (lo, hi) = (table.numbers(col("low")?), table.numbers(col("high")?));
            Some(lo.into_iter().zip(hi).collect())
        }
        _ => None,
    };
    Ok(Spec::Bars {
        categories: table.texts(x),
        series,
        whiskers,
        stacked,
    })
}

fn heatmap_spec(table: &Table, x: usize, y: usize, value: usize) -> Spec {
    let (found, series) = pivot(table, x, y, value);
    let ints: Option<Vec<i64>> = found.iter().map(|v| v.parse::<i64>().ok()).collect();
    let range = ints.and_then(|v| Some((*v.iter().min()?, *v.iter().max()?)));
    // integer columns (hours) show every value of their range
    let xs: Vec<String> = match range {
        Some((lo, hi)) if lo >= 0 && hi < 24 => (0..24).map(|i| i.to_string()).collect(),
        Some((lo, hi)) if hi - lo < 1000 => (lo..=hi).map(|i| i.to_string()).collect(),
        _ => found.clone(),
    };
    let ys = series.iter().map(|(n, _)| n.clone()).collect();
    let values = series
        .iter()
        .map(|(_, v)| {
            xs.iter()
                .map(|x| {
                    found
                        .iter()
                        .position(|f| f == x)
                        .and_then(|i| v[i])
                        .unwrap_or(0.0)
                })
                .collect()
        })
        .collect();
    Spec::Heatmap { xs, ys, values }
}

fn lines_spec(table: &Table, x: usize, series: Option<usize>, y: usize) -> Spec {
    let (mut xs, mut series) = match series {
        Some(s) => pivot(table, x, s, y),
        None => (
            table.texts(x),
            vec![(table.columns[y].clone(), table.numbers(y))],
        ),
    };
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].cmp(&xs[b]));
    xs = order.iter().map(|&i| xs[i].clone()).collect();
    for (_, values) in &mut series {
        *values = order.iter().map(|&i| values[i]).collect();
    }
    Spec::Lines { xs, series }
}

/// Writes `<name>.png` into `dir` and returns the SVG text (also written
/// as `<name>.svg`).
pub fn render(report: &Report, spec: &Spec, axes: &Axes, dir: &Path) -> Result<String, String> {
    fonts::register();
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw::draw(&area, report.title(), axes, spec)?;
        area.present().map_err(|e| e.to_string())?;
    }
    // viewers do not know the embedded families' names: name real fonts
    let svg = svg
        .replace(
            fonts::LATIN_FAMILY,
            "Noto Sans, DejaVu Sans, Arial, sans-serif",
        )
        .replace(
            fonts::DEVANAGARI_FAMILY,
            "Noto Sans Devanagari, Noto Sans, sans-serif",
        );
    std::fs::write(dir.join(format!("{}.svg", report.name)), &svg).map_err(|e| e.to_string())?;
    let png = dir.join(format!("{}.png", report.name));
    let area = BitMapBackend::new(&png, SIZE).into_drawing_area();
    draw::draw(&area, report.title(), axes, spec)?;
    area.present().map_err(|e| e.to_string())?;
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::definition::parse;

    fn report(chart: &str) -> Report {
        parse(
            "t",
            "t.sql",
            &format!("-- title: Test chart 🎉 कॉल\n{chart}\nSELECT 1"),
        )
        .unwrap()
    }

    fn table(columns: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        }
    }

    fn assert_renders(r: &Report, t: &Table) {
        let dir = tempfile::tempdir().unwrap();
        let (spec, axes) = spec_for(r, t).unwrap().unwrap();
        let svg = render(r, &spec, &axes, dir.path()).unwrap();
        assert!(svg.starts_with("<svg") && svg.len() > 500, "{svg}");
        let png = std::fs::read(dir.path().join("t.png")).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert!(png.len() > 3000, "png is {} bytes", png.len());
    }

    #[test]
    fn every_chart_kind_renders_for_empty_one_and_many_rows() {
        let many: Vec<Vec<String>> = (0..12)
            .map(|i| {
                vec![
                    format!("Config {i} कॉल 🎉"),
                    format!("{}", i as f64 / 12.0),
                    "0.1".into(),
                    "0.9".into(),
                ]
            })
            .collect();
        let many_refs: Vec<Vec<&str>> = many
            .iter()
            .map(|r| r.iter().map(String::as_str).collect())
            .collect();
        let many_rows: Vec<&[&str]> = many_refs.iter().map(|r| r.as_slice()).collect();
        let bars = report("-- chart: bars\n-- x: c\n-- y: v\n-- low: lo\n-- high: hi");
        for rows in [
            &[][..],
            &[&["A", "0.5", "0.4", "0.6"][..]][..],
            &many_rows[..],
        ] {
            assert_renders(&bars, &table(&["c", "v", "lo", "hi"], rows));
        }
        let heat = report("-- chart: heatmap\n-- x: hour\n-- y: weekday\n-- value: n");
        assert_renders(
            &heat,
            &table(
                &["weekday", "hour", "n"],
                &[&["Monday", "9", "3"], &["Friday", "17", "8"]],
            ),
        );
        assert_renders(&heat, &table(&["weekday", "hour", "n"], &[]));
        let lines = report("-- chart: lines\n-- x: day\n-- series: c\n-- y: n");
        assert_renders(
            &lines,
            &table(
                &["day", "c", "n"],
                &[
                    &["2025-08-01", "A", "3"],
                    &["2025-08-02", "A", "5"],
                    &["2025-08-01", "कॉल", "1"],
                ],
            ),
        );
        let panels = report("-- chart: percentile_bars\n-- x: c\n-- series: m\n-- y: p");
        assert_renders(
            &panels,
            &table(
                &["c", "m", "p"],
                &[&["A", "lead", "100000"], &["A", "lag", "60"]],
            ),
        );
        let stacked = report("-- chart: stacked\n-- x: run\n-- y: a, b");
        assert_renders(
            &stacked,
            &table(&["run", "a", "b"], &[&["1", "10", "2"], &["2", "7", "0"]]),
        );
    }

    #[test]
    fn a_bad_header_is_an_error_not_a_panic() {
        let r = report("-- chart: bars\n-- x: missing\n-- y: v");
        assert!(spec_for(&r, &table(&["c", "v"], &[]))
            .unwrap_err()
            .contains("missing"));
        let r = report("-- chart: pie\n-- x: c\n-- y: v");
        assert!(spec_for(&r, &table(&["c", "v"], &[]))
            .unwrap_err()
            .contains("unknown chart"));
    }
}
