//! Charts from report headers and rows: every kind renders for no, one
//! and many rows; units, n, reference, zone and palette reach the SVG;
//! bad headers are errors.

use super::*;
use crate::report::definition::parse;

pub(super) fn report(header: &str) -> Report {
    parse(
        "t",
        "t.sql",
        &format!("-- title: Test chart 🎉 कॉल\n{header}\nSELECT 1"),
    )
    .unwrap()
}

pub(super) fn table(columns: &[&str], rows: &[Vec<String>]) -> Table {
    Table {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows.to_vec(),
    }
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn render_ok(r: &Report, t: &Table, ctx: &Context) -> String {
    let dir = tempfile::tempdir().unwrap();
    let (spec, axes) = spec_for_with(r, t, ctx).unwrap().unwrap();
    let svg = render(r, &spec, &axes, dir.path()).unwrap();
    assert!(svg.starts_with("<svg") && svg.len() > 500, "{svg}");
    let png = std::fs::read(dir.path().join("t.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(png.len() > 3000, "png is {} bytes", png.len());
    svg
}

#[test]
fn every_chart_kind_renders_for_empty_one_and_many_rows() {
    let ctx = Context::default();
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
    let bars = report("-- chart: bars\n-- x: c\n-- y: v\n-- low: lo\n-- high: hi");
    for rows in [vec![], vec![row(&["A", "0.5", "0.4", "0.6"])], many] {
        render_ok(&bars, &table(&["c", "v", "lo", "hi"], &rows), &ctx);
    }
    let heat = report("-- chart: heatmap\n-- x: hour\n-- y: weekday\n-- value: n");
    let cols = ["weekday", "hour", "n"];
    render_ok(
        &heat,
        &table(
            &cols,
            &[row(&["Monday", "9", "3"]), row(&["Friday", "17", "8"])],
        ),
        &ctx,
    );
    render_ok(&heat, &table(&cols, &[]), &ctx);
    let lines = report("-- chart: lines\n-- x: day\n-- series: c\n-- y: n");
    let rows = [
        row(&["2025-08-01", "A", "3"]),
        row(&["2025-08-02", "A", "5"]),
        row(&["2025-08-01", "कॉल", "1"]),
    ];
    render_ok(&lines, &table(&["day", "c", "n"], &rows), &ctx);
    let panels = report("-- chart: percentile_bars\n-- x: c\n-- series: m\n-- y: p");
    let rows = [row(&["A", "lead", "100000"]), row(&["A", "lag", "60"])];
    render_ok(&panels, &table(&["c", "m", "p"], &rows), &ctx);
    let stacked = report("-- chart: stacked\n-- x: run\n-- y: a, b");
    let rows = [row(&["1", "10", "2"]), row(&["2", "7", "0"])];
    render_ok(&stacked, &table(&["run", "a", "b"], &rows), &ctx);
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
    let r = report("-- chart: bars\n-- x: c\n-- y: v\n-- y_unit: furlongs");
    assert!(spec_for(&r, &table(&["c", "v"], &[]))
        .unwrap_err()
        .contains("furlongs"));
}

#[test]
fn rates_counts_and_n_are_written_as_a_person_reads_them() {
    let r = report(
        "-- chart: bars\n-- x: c\n-- y: rate\n-- y_unit: percent\n-- n: requests\n-- y_label: interest rate",
    );
    let t = table(
        &["c", "rate", "requests"],
        &[
            row(&["A <b> & \"q\"", "0.5432", "12345"]),
            row(&["B", "0.25", "800"]),
        ],
    );
    let svg = render_ok(&r, &t, &Context::default());
    assert!(svg.contains(">54.3%</text>"), "{svg}");
    assert!(svg.contains(">25.0%</text>"));
    assert!(svg.contains("n = 12,345 requests"));
    assert!(svg.contains("A &lt;b&gt; &amp; &quot;q&quot;"));
    assert!(!svg.contains("<b>"));
    assert!(svg.contains(">20%</text>"), "ticks in percent: {svg}");
    assert!(!svg.contains(">0.5<") && !svg.contains("-0"));
    assert!(
        svg.contains("<title>A &lt;b&gt; &amp; &quot;q&quot;: 54.3%, n = 12,345 requests</title>")
    );
}

#[test]
fn durations_are_drawn_in_the_magnitude_they_have() {
    let r = report(
        "-- chart: percentile_bars\n-- x: c\n-- series: m\n-- y: s\n-- y_unit: seconds\n-- n: n\n-- y_label: median",
    );
    let t = table(
        &["c", "m", "s", "n"],
        &[
            row(&["A", "lead", "160000", "10"]),
            row(&["A", "lag", "5400", "20"]),
            row(&["B", "lead", "80000", "30"]),
            row(&["B", "lag", "30", "40"]),
        ],
    );
    let svg = render_ok(&r, &t, &Context::default());
    assert!(svg.contains(">44 h · n = 10</text>"), "{svg}");
    // one unit per panel: the lag panel is in minutes, its labels too
    assert!(svg.contains(">90 min · n = 20</text>"), "{svg}");
    assert!(svg.contains(">0.5 min · n = 40</text>"));
    assert!(svg.contains(">median (minutes)</text>"));
    assert!(svg.contains(">median (hours)</text>"));
    assert!(!svg.contains("160000") && !svg.contains("160,000"));
}

#[test]
fn the_best_configuration_is_marked_and_differences_are_in_points() {
    let r = report(
        "-- chart: bars\n-- x: c\n-- y: diff\n-- y_unit: points\n-- reference: best\n-- reference_value: best_rate\n-- reference_unit: percent",
    );
    let t = table(
        &["c", "best", "best_rate", "diff"],
        &[
            row(&["Best one", "Best one", "0.6", "0.0"]),
            row(&["Other", "Best one", "0.6", "-0.123"]),
        ],
    );
    let svg = render_ok(&r, &t, &Context::default());
    assert!(svg.contains(">best: 60.0%</text>"), "{svg}");
    assert!(svg.contains(">−12.3 pp</text>"));
    assert!(
        !svg.contains(">0.0 pp</text>"),
        "the best has no zero bar label"
    );
    assert!(!svg.contains(">-0"));
}

#[test]
fn zone_and_palette_come_from_the_caller() {
    let r = report(
        "-- chart: lines\n-- x: day\n-- series: c\n-- y: n\n-- y_unit: count\n-- x_label: day ({tz})",
    );
    let t = table(
        &["day", "c", "n"],
        &[
            row(&["2025-08-01", "Z", "1200"]),
            row(&["2025-08-01", "Y", "3"]),
        ],
    );
    let svg = render_ok(&r, &t, &Context::default());
    assert!(svg.contains(">day (UTC)</text>"));
    let ctx = Context::new("Asia/Kolkata", Some(Palette::new(["Y", "Z"])));
    let svg = render_ok(&r, &t, &ctx);
    assert!(svg.contains(">day (Asia/Kolkata)</text>"));
    // Y is the palette's first colour, Z its second, whatever the order here
    let point = |color: &str, tip: &str| {
        format!("fill=\"{color}\" stroke=\"#fff\" stroke-width=\"1\"><title>{tip}</title>")
    };
    assert!(
        svg.contains(&point("#4e79a7", "2025-08-01 · Y: 3")),
        "{svg}"
    );
    assert!(svg.contains(&point("#f28e2b", "2025-08-01 · Z: 1,200")));
}
